using System.Globalization;

namespace Latent.Quality;

/// <summary>
/// Command line of latent-quality: <c>[--quick] [--sections a,b] [--data DIR] [--img DIR] [--torch-seed FILE]
/// [--torch-vae FILE] [--results DIR] [--command TEXT] [--tag NAME] [--set key=value ...]</c>. <c>--set</c> overrides a
/// section's configuration for experiments (e.g. <c>--set fm.epochs=5</c>); the committed defaults are what run.sh
/// measures. <c>--results</c> is the folder of the SECTION.json files (none written without it), <c>--command</c> the
/// command line recorded in them (run.sh passes its own), <c>--tag</c> a suffix for every key (<c>_NAME</c>) so that
/// a variant's figures sit beside the default's instead of replacing them.
/// </summary>
internal sealed record BenchOptions
{
    public bool Quick { get; init; }

    public IReadOnlyList<string> Sections { get; init; } = [];

    public string DataDir { get; init; } = "";

    /// <summary>Folder for the PNGs (docs/img), or null to write none.</summary>
    public string? ImageDir { get; init; }

    /// <summary>Output of bench/quality/torch_seed_ae.py (TORCH_SEED lines), or null.</summary>
    public string? TorchSeedFile { get; init; }

    /// <summary>Output of bench/quality/torch_vae.py (hook for the VAE section), or null.</summary>
    public string? TorchVaeFile { get; init; }

    /// <summary>Folder for the SECTION.json files, or null to write none.</summary>
    public string? ResultsDir { get; init; }

    /// <summary>The command line recorded with every figure (null: this program's own arguments).</summary>
    public string? Command { get; init; }

    /// <summary>Suffix for every RESULT key and table id of this run ("" for none).</summary>
    public string Tag { get; init; } = "";

    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    public string Get(string key, string quick, string full) =>
        Overrides.TryGetValue(key, out var v) ? v : Quick ? quick : full;

    public int GetInt(string key, int quick, int full) =>
        int.Parse(Get(key, quick.ToString(CultureInfo.InvariantCulture), full.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    public float GetFloat(string key, float quick, float full) =>
        float.Parse(Get(key, quick.ToString("R", CultureInfo.InvariantCulture), full.ToString("R", CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": o = o with { Quick = true }; break;
                case "--sections": o = o with { Sections = Next().Split(',', StringSplitOptions.RemoveEmptyEntries) }; break;
                case "--data": o = o with { DataDir = Next() }; break;
                case "--img": o = o with { ImageDir = Next() }; break;
                case "--torch-seed": o = o with { TorchSeedFile = Next() }; break;
                case "--torch-vae": o = o with { TorchVaeFile = Next() }; break;
                case "--results": o = o with { ResultsDir = Next() }; break;
                case "--command": o = o with { Command = Next() }; break;
                case "--tag":
                    o = o with { Tag = Next() };
                    if (!System.Text.RegularExpressions.Regex.IsMatch(o.Tag, "^[a-z0-9_]+$")) throw new ArgumentException($"--tag '{o.Tag}': expected lower-case letters, digits and _");
                    break;
                case "--set":
                    var kv = Next();
                    int eq = kv.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) throw new ArgumentException($"--set '{kv}': expected key=value");
                    overrides[kv[..eq]] = kv[(eq + 1)..];
                    break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        if (o.DataDir.Length == 0) throw new ArgumentException("--data DIR (the shared datasets folder) is required");
        return o with { Overrides = overrides };
    }
}
