using System.Globalization;

namespace Latent.Bench;

/// <summary>Parsed <c>--name value</c> pairs.</summary>
public sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Parses <c>--name value</c> pairs; throws ArgumentException on anything else.</summary>
    public static Options Parse(ReadOnlySpan<string> args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            o._values[args[i][2..]] = args[i + 1];
        }
        return o;
    }

    /// <summary>The string option <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public string Text(string name, string fallback) => _values.TryGetValue(name, out var text) ? text : fallback;

    /// <summary>The integer option <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public int Int(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < 1)
            throw new ArgumentException($"--{name} must be a positive integer, got '{text}'");
        return v;
    }
}
