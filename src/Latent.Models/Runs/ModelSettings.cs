using System.Globalization;
using Latent.Models.Options;

namespace Latent.Models.Runs;

/// <summary>
/// Builds the "key=value" settings for <see cref="ModelRegistry.Create"/> from the command line's <c>--arch</c>,
/// <c>--code</c> and <c>--set</c>, through the family's <see cref="OptionSchema"/>: the option with
/// <see cref="OptionRole.Architecture"/> (sizes "IN-...-CODE") gets its input size fitted to the data and its last size
/// set by <c>--code</c>; otherwise <c>--code</c> sets the option with <see cref="OptionRole.CodeSize"/>. Data
/// standardised to zero mean (tables) select a Gaussian output for the option with <see cref="OptionRole.Output"/>
/// when none was given.
/// </summary>
public static class ModelSettings
{
    /// <summary>
    /// The settings for model <paramref name="info"/> on samples of <paramref name="inputShape"/> (null: not known yet,
    /// the architecture's input size stays as given or as the default).
    /// </summary>
    public static Dictionary<string, string> Build(ModelInfo info, int[]? inputShape, string? arch, int? code,
        IReadOnlyDictionary<string, string>? settings, bool standardisedData = false)
    {
        ArgumentNullException.ThrowIfNull(info);
        var schema = info.Schema;
        var result = new Dictionary<string, string>(settings ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        if (code is <= 0) throw new ArgumentException($"--code {code} must be positive", nameof(code));

        var archOption = schema.Find(OptionRole.Architecture);
        if (archOption is not null)
        {
            string key = result.Keys.FirstOrDefault(archOption.Matches) ?? archOption.Key; // the key as the user wrote it
            bool userArch = arch is not null || result.ContainsKey(key);
            var sizes = (arch ?? (result.TryGetValue(key, out var a) ? a : archOption.Text(schema.Defaults))).Split('-');
            if (!userArch && inputShape is not null && sizes.Length >= 2) sizes[0] = Latent.Core.Shapes.Size(inputShape).ToString(CultureInfo.InvariantCulture);
            if (code is int c) sizes[^1] = c.ToString(CultureInfo.InvariantCulture);
            result[key] = string.Join('-', sizes);
        }
        else if (arch is not null)
        {
            throw new ArgumentException($"model '{info.Name}' has no 'arch' option (its options: {info.DefaultOptionsText})", nameof(arch));
        }
        else if (code is int c)
        {
            var codeOption = schema.Find(OptionRole.CodeSize)
                ?? throw new ArgumentException($"model '{info.Name}' has no code-size option for --code; use --set (its options: {info.DefaultOptionsText})", nameof(code));
            result[result.Keys.FirstOrDefault(codeOption.Matches) ?? codeOption.Key] = c.ToString(CultureInfo.InvariantCulture);
        }
        if (standardisedData && schema.Find(OptionRole.Output) is { } output && !result.Keys.Any(output.Matches)) result[output.Key] = "gaussian";
        return result;
    }

    /// <summary>
    /// Checks the model options of <paramref name="run"/> for model <paramref name="info"/> before any data is loaded
    /// (unknown key, bad value, --arch/--code that the family cannot take): the options with the architecture's input size
    /// not yet fitted; ArgumentException with the one-line message otherwise.
    /// </summary>
    public static ModelOptions Check(ModelInfo info, TrainingRunOptions run)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(run);
        if (run.PriorEpochs < 0) throw new ArgumentException($"--prior-epochs {run.PriorEpochs} must be >= 0", nameof(run));
        return info.Schema.Parse(Build(info, null, run.Architecture, run.CodeSize, run.Settings));
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
