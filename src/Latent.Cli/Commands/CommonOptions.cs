using System.CommandLine;
using Latent.Models.IO;
using Latent.Models.Runs;

namespace Latent.Cli.Commands;

/// <summary>Options shared by several commands, and loading of a model with its data.</summary>
internal static class CommonOptions
{
    public static Option<string?> Data(string? description = null) => new("--data", "-d")
    {
        Description = description ?? "Data: sprites, sprites-brightness (a sixth factor, the grey level), mnist, fashion-mnist, or a path to a .csv/.csv.gz table, a folder of PNG/JPEG/BMP images, an .npy/.npz file or an IDX file (default: what the model was trained on)",
    };

    public static Option<string?> Label() => new("--label") { Description = "Label column of a CSV table (default: a column named 'label')" };

    public static Option<int?> ImageSize() => new("--image-size") { Description = "Side length of sprites / size PNGs are resized to" };

    public static Option<int?> Samples() => new("--samples") { Description = "Number of generated sprites for training (default 5000; the test split has a tenth, at least 100)" };

    public static Option<int?> Window() => new("--window") { Description = "Treat the CSV as a time series (one row per step) and cut it into windows of N steps, samples [N, columns]" };

    public static Option<int?> Stride(string? description = null) => new("--stride") { Description = description ?? "With --window: steps between the starts of consecutive windows (default 1)" };

    /// <summary>Checks --window and --stride before any data is read.</summary>
    public static void CheckWindow(int? window, int? stride)
    {
        if (window is < 1) throw new ArgumentException($"--window {window} must be at least 1");
        if (stride is < 1) throw new ArgumentException($"--stride {stride} must be at least 1");
        if (stride is not null && window is null) throw new ArgumentException("--stride needs --window N (windows of a CSV time series)");
    }

    public static Option<string> Split() => new Option<string>("--split")
    {
        Description = "Which part of the data: train, test or all",
        DefaultValueFactory = _ => "test",
    }.AcceptOnlyFromAmong("train", "test", "all");

    public static Argument<string> ModelDir() => new("MODEL_DIR") { Description = "A folder written by 'latent train' (model.json + model.safetensors)" };

    public static Option<string> OutFile(string what) => new("--out", "-o") { Description = what, Required = true };

    /// <summary>
    /// Checks that <paramref name="path"/> names a PNG file: pictures are written as PNG only, so another extension
    /// (.jpg, .bmp) is a one-line error naming it rather than PNG bytes under a misleading name.
    /// </summary>
    public static void RequirePng(string path, string option = "--out")
    {
        string ext = Path.GetExtension(path);
        if (!ext.Equals(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{option} {path}: pictures are written as PNG only; use a .png name ({(ext.Length == 0 ? "no extension" : ext)} is not written)");
    }

    public static Option<bool> Json() => new("--json") { Description = "Print exactly one JSON object instead of text" };

    public static void Add(Command c, params Symbol[] symbols)
    {
        foreach (var s in symbols)
        {
            if (s is Option o) c.Options.Add(o);
            else if (s is Argument a) c.Arguments.Add(a);
        }
    }

    /// <summary>Loads the model in <paramref name="dir"/> and the data for it (its own by default).</summary>
    public static (Latent.Models.AutoencoderModel Model, ModelManifest Manifest, LoadedData Data) LoadModelAndData(
        CliContext ctx, string dir, string? data, string? label, int? imageSize, int? samples)
    {
        // Checked before the model or any data is read.
        if (imageSize is <= 0) throw new ArgumentException($"--image-size {imageSize} must be positive", nameof(imageSize));
        if (samples is < 2) throw new ArgumentException($"--samples {samples} must be at least 2", nameof(samples));
        var (model, manifest) = ModelFile.Load(dir);
        var request = DataSource.RequestFor(manifest, data, ctx.DataDir);
        if (label is not null) request = request with { LabelColumn = label };
        if (imageSize is not null) request = request with { ImageSize = imageSize };
        if (samples is not null) request = request with { Samples = samples.Value };
        var loaded = DataSource.LoadFor(request, manifest);
        return (model, manifest, loaded);
    }

    /// <summary>Checks a sample index against a dataset.</summary>
    public static int Index(int i, Latent.Data.Dataset data, string option)
    {
        if (i < 0 || i >= data.Count) throw new ArgumentException($"{option} {i} is outside the {data.Count} samples of the split (0..{data.Count - 1})");
        return i;
    }
}
