using System.Globalization;
using Latent.Models.IO;

namespace Latent.Models.Runs;

/// <summary>
/// Builds the "key=value" settings for <see cref="ModelRegistry.Create"/> from the command line's <c>--arch</c>,
/// <c>--code</c> and <c>--set</c>, generically over the registry: a family whose options have an <c>arch</c> key
/// (sizes "IN-...-CODE") gets its input size fitted to the data and its last size set by <c>--code</c>; otherwise
/// <c>--code</c> sets the family's integer code-size option (<c>code_size</c>, <c>z</c>, <c>latent</c>, <c>latent_dim</c>
/// or <c>codes</c>, whichever its defaults have). Data standardised to zero mean (tables) selects a Gaussian output
/// when the family has an <c>output</c> option and none was given.
/// </summary>
public static class ModelSettings
{
    private static readonly string[] CodeKeys = ["code_size", "z", "z_dim", "latent", "latent_dim", "codes"];

    /// <summary>The settings for model <paramref name="info"/> on samples of <paramref name="inputShape"/>.</summary>
    public static Dictionary<string, string> Build(ModelInfo info, int[] inputShape, string? arch, int? code,
        IReadOnlyDictionary<string, string>? settings, bool standardisedData = false)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(inputShape);
        var result = new Dictionary<string, string>(settings ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        var defaults = ModelFile.ParseOptionsText(info.DefaultOptionsText);
        int inputSize = Latent.Core.Shapes.Size(inputShape);
        if (code is <= 0) throw new ArgumentException($"--code {code} must be positive", nameof(code));

        if (arch is not null) result["arch"] = arch;
        if (defaults.TryGetValue("arch", out var defaultArch))
        {
            bool userArch = result.TryGetValue("arch", out var a);
            var sizes = (userArch ? a! : defaultArch).Split('-');
            if (!userArch && sizes.Length >= 2) sizes[0] = inputSize.ToString(CultureInfo.InvariantCulture);
            if (code is int c) sizes[^1] = c.ToString(CultureInfo.InvariantCulture);
            result["arch"] = string.Join('-', sizes);
        }
        else if (arch is not null)
        {
            throw new ArgumentException($"model '{info.Name}' has no 'arch' option (its options: {info.DefaultOptionsText})", nameof(arch));
        }
        else if (code is int c)
        {
            var key = CodeKeys.FirstOrDefault(k => defaults.TryGetValue(k, out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                ?? throw new ArgumentException($"model '{info.Name}' has no code-size option for --code; use --set (its options: {info.DefaultOptionsText})", nameof(code));
            result[key] = c.ToString(CultureInfo.InvariantCulture);
        }
        if (standardisedData && defaults.ContainsKey("output") && !result.ContainsKey("output")) result["output"] = "gaussian";
        return result;
    }

    /// <summary>Parses "key=value" pairs (from repeated <c>--set</c>); ArgumentException naming the bad one.</summary>
    public static Dictionary<string, string> ParsePairs(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in pairs)
        {
            int eq = p.IndexOf('=');
            if (eq <= 0 || eq == p.Length - 1) throw new ArgumentException($"--set '{p}' is not key=value", nameof(pairs));
            result[p[..eq].Trim()] = p[(eq + 1)..].Trim();
        }
        return result;
    }
}
