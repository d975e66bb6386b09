using System.Globalization;
using System.Reflection;

namespace Latent.Models.Options;

/// <summary>
/// One declared option of a model family: its key (and accepted aliases), type, allowed values, one-line doc, the C#
/// property it sets and what the command line may do with it. Made by the <see cref="OptionSchema{T}"/> builder methods;
/// the default is read from the family's default options, so it is declared once, in the record.
/// </summary>
public sealed class OptionSpec(PropertyInfo[] path, string key, string type, string allowed, string doc, OptionRole role,
    IReadOnlyList<string> aliases, Func<string, object?> parse, Func<object?, string?> check, Func<object?, string> format,
    IReadOnlyList<string>? values = null)
{
    /// <summary>The key of <c>--set key=value</c> and of the options text ("k").</summary>
    public string Key { get; } = string.IsNullOrWhiteSpace(key) || key.Any(char.IsWhiteSpace) || key.Contains('=')
        ? throw new ArgumentException($"option key '{key}' must be one word without '='", nameof(key)) : key;

    /// <summary>Other keys accepted on input ("codebook"); never written.</summary>
    public IReadOnlyList<string> Aliases { get; } = aliases;

    /// <summary>"int", "real", "bool", "choice", "sizes" or a family-specific type name ("corruption").</summary>
    public string Type { get; } = type;

    /// <summary>What is allowed, as shown to users: "[1, 65536]", "bernoulli, gaussian", ...</summary>
    public string Allowed { get; } = allowed;

    /// <summary>The allowed values of a choice or bool option (canonical spellings); null for other types.</summary>
    public IReadOnlyList<string>? Values { get; } = values;

    /// <summary>One line for <c>latent models</c> and the docs tables.</summary>
    public string Doc { get; } = doc;

    /// <summary>What <c>--arch</c>, <c>--code</c> and standardised data do with this option.</summary>
    public OptionRole Role { get; } = role;

    /// <summary>The C# property of the options record it sets, the ParamName of its errors: "CodebookSize", or "Network" for an option of a nested network record.</summary>
    public string Property => path[0].Name;

    /// <summary>True when <paramref name="key"/> is the key or an alias (case-insensitive).</summary>
    public bool Matches(string key) =>
        string.Equals(Key, key, StringComparison.OrdinalIgnoreCase) || Aliases.Any(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value in <paramref name="options"/> as text ("128", "true", "784-1000-30").</summary>
    public string Text(ModelOptions options) => format(Get(options));

    internal object? Get(object options)
    {
        object? v = options;
        foreach (var p in path) v = p.GetValue(v ?? throw new ArgumentNullException(p.DeclaringType!.Name, $"{Key}: the options record holds null"));
        return v;
    }

    /// <summary>A copy of <paramref name="target"/> (same runtime type, made as <c>with</c> makes it) with this option set to <paramref name="value"/>.</summary>
    internal object Set(object target, object? value, int depth = 0)
    {
        var copy = target.GetType().GetMethod("<Clone>$")?.Invoke(target, null) ?? throw new InvalidOperationException($"{target.GetType().Name} is not a record");
        path[depth].SetValue(copy, depth == path.Length - 1 ? value : Set(path[depth].GetValue(target)!, value, depth + 1));
        return copy;
    }

    /// <summary>The value of <paramref name="text"/>, or a FormatException whose message says what is allowed.</summary>
    internal object? Parse(string text)
    {
        var v = parse(text);
        return check(v) is { } what ? throw new FormatException(what) : v;
    }

    /// <summary>Null when <paramref name="value"/> is allowed, otherwise what is allowed ("must be an integer in [1, 65536]").</summary>
    internal string? Check(object? value) => check(value);

    /// <summary>The same option reached through <paramref name="prefix"/> (a nested options record).</summary>
    internal OptionSpec Under(PropertyInfo[] prefix) =>
        new([.. prefix, .. path], Key, Type, Allowed, Doc, Role, Aliases, parse, check, format, Values);

    /// <summary>The record type that declares the first property of the path.</summary>
    internal Type DeclaringType => path[0].DeclaringType!;

    /// <summary>
    /// "784-256-32" → [784, 256, 32]; null when valid, otherwise what is wrong. An empty text or <paramref name="none"/>
    /// gives no sizes, allowed only when <paramref name="minCount"/> is 0.
    /// </summary>
    internal static string? ParseSizes(string? text, int minCount, string? none, out int[] sizes)
    {
        sizes = [];
        if (string.IsNullOrWhiteSpace(text) || (none is not null && text.Equals(none, StringComparison.OrdinalIgnoreCase)))
            return minCount == 0 ? null : "is empty (expected sizes like 784-256-32)";
        var parts = text.Split('-');
        if (parts.Length < Math.Max(minCount, 1)) return $"needs at least {minCount} sizes, like 784-32";
        var s = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out s[i]) || s[i] <= 0)
                return $"'{parts[i]}' (entry {i + 1}) is not a positive integer";
        sizes = s;
        return null;
    }

    /// <summary>Invariant text of a number that parses back to the same value.</summary>
    internal static string Number(object? v) => v switch
    {
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v?.ToString() ?? "",
    };
}
