using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Latent.Cli.Commands;

/// <summary>
/// The options of <c>latent train</c> as a configuration: a map from long option names (without dashes) to values,
/// read from a YAML file (<c>--config</c>), from another run (<c>--from</c>) or from the run being resumed, and
/// recorded in every run folder as <see cref="FileName"/>. Layers, lowest first: <c>--from</c>, <c>--config</c>, the
/// command line. <c>set</c> merges key by key; every other option is replaced whole.
/// </summary>
internal static class TrainConfiguration
{
    /// <summary>The file in a run folder that records the run's options (the same format as --config).</summary>
    public const string FileName = "options.yaml";

    /// <summary>Options that describe where or how a run is started rather than what it trains: never recorded.</summary>
    private static readonly HashSet<string> NotRecorded = ["out", "resume", "config", "from", "serve", "port", "help", "no-report"];

    /// <summary>Options that may differ from the recorded ones when a run is resumed (recorded anew).</summary>
    public static readonly HashSet<string> MayChangeOnResume = ["epochs", "patience"];

    /// <summary>The long name of <paramref name="o"/> without its dashes.</summary>
    public static string Key(Option o) => o.Name.TrimStart('-');

    /// <summary>The options of <paramref name="cmd"/> a configuration may set (with --seed).</summary>
    public static IEnumerable<Option> Recorded(Command cmd) =>
        cmd.Options.Where(o => !NotRecorded.Contains(Key(o))).Append(GlobalOptions.Seed);

    /// <summary>Reads a configuration file: a YAML mapping of option names to scalars (set: a list of key=value or a mapping).</summary>
    public static Dictionary<string, List<string>> Read(string path, Command cmd)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such configuration file", path);
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{path}: not valid YAML at line {e.Start.Line}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return result;
        if (yaml.Documents[0].RootNode is not YamlMappingNode map)
            throw new InvalidDataException($"{path}: expected a mapping of training options (epochs: 20, lr: 0.001, ...)");
        var known = Recorded(cmd).ToDictionary(Key);
        foreach (var (k, v) in map.Children)
        {
            string key = ((YamlScalarNode)k).Value ?? "";
            if (!known.ContainsKey(key))
                throw new InvalidDataException($"{path}: unknown training option '{key}' (keys are the long option names of 'latent train', e.g. epochs, lr, set)");
            result[key] = v switch
            {
                YamlScalarNode s => [s.Value ?? ""],
                YamlSequenceNode seq when key == "set" => seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList(),
                YamlMappingNode m when key == "set" => m.Children.Select(c => $"{((YamlScalarNode)c.Key).Value}={((YamlScalarNode)c.Value).Value}").ToList(),
                _ => throw new InvalidDataException($"{path}: option '{key}' must be a single value"),
            };
        }
        return result;
    }

    /// <summary>The effective values of the recorded options in <paramref name="p"/> (defaults included, unset nullable options left out).</summary>
    public static Dictionary<string, List<string>> Values(ParseResult p, Command cmd)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var o in Recorded(cmd))
        {
            object? value = p.GetResult(o) is OptionResult r ? r.GetValueOrDefault<object?>() : null;
            if (value is null && o == GlobalOptions.Seed) value = p.GetValue(GlobalOptions.Seed);
            switch (value)
            {
                case null: break;
                case string[] list: if (list.Length > 0) result[Key(o)] = [.. list]; break;
                case bool b: result[Key(o)] = [b ? "true" : "false"]; break;
                case IFormattable f: result[Key(o)] = [f.ToString(null, CultureInfo.InvariantCulture)]; break; // shortest round-trip text
                default: result[Key(o)] = [value.ToString() ?? ""]; break;
            }
        }
        return result;
    }

    /// <summary>The options given explicitly on the command line.</summary>
    public static HashSet<string> Explicit(ParseResult p, Command cmd) =>
        Recorded(cmd).Where(o => p.GetResult(o) is OptionResult { Implicit: false }).Select(Key).ToHashSet(StringComparer.Ordinal);

    /// <summary><paramref name="upper"/> over <paramref name="lower"/>: whole values replaced, <c>set</c> merged key by key.</summary>
    public static Dictionary<string, List<string>> Merge(Dictionary<string, List<string>> lower, IReadOnlyDictionary<string, List<string>> upper)
    {
        var result = lower.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal);
        foreach (var (k, v) in upper)
        {
            if (k == "set" && result.TryGetValue("set", out var old))
            {
                var pairs = old.Select(s => s.Split('=', 2)).ToDictionary(a => a[0].Trim(), a => a.Length > 1 ? a[1] : "", StringComparer.Ordinal);
                foreach (var s in v) { var a = s.Split('=', 2); pairs[a[0].Trim()] = a.Length > 1 ? a[1] : ""; }
                result[k] = pairs.Select(kv => $"{kv.Key}={kv.Value}").ToList();
            }
            else result[k] = v.ToList();
        }
        return result;
    }

    /// <summary>Command-line tokens that set <paramref name="values"/> (for a parse of the train command).</summary>
    public static List<string> Tokens(IReadOnlyDictionary<string, List<string>> values)
    {
        var tokens = new List<string>();
        foreach (var (k, list) in values)
            foreach (var v in list) { tokens.Add("--" + k); tokens.Add(v); }
        return tokens;
    }

    /// <summary>Writes <paramref name="values"/> as YAML to <paramref name="path"/> (sorted keys, one per line).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, List<string>> values)
    {
        var map = new YamlMappingNode();
        foreach (var (k, v) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            map.Add(new YamlScalarNode(k), k == "set" ? new YamlSequenceNode(v.Select(s => new YamlScalarNode(s))) : Scalar(v[0]));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.WriteLine("# latent train options (long option names); rerun with: latent train --config THIS_FILE --out DIR");
        new YamlStream(new YamlDocument(map)).Save(writer, assignAnchors: false);
        string text = writer.ToString().TrimEnd().TrimEnd('.').TrimEnd() + Environment.NewLine;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text);
    }

    // Quoted so that YAML keeps every value as text (e.g. "1e-3", "none").
    private static YamlScalarNode Scalar(string v) => new(v) { Style = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || v is "true" or "false" ? YamlDotNet.Core.ScalarStyle.Plain : YamlDotNet.Core.ScalarStyle.DoubleQuoted };
}
