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

    public static Option<string> Split() => new Option<string>("--split")
    {
        Description = "Which part of the data: train, test or all",
        DefaultValueFactory = _ => "test",
    }.AcceptOnlyFromAmong("train", "test", "all");

    public static Argument<string> ModelDir() => new("MODEL_DIR") { Description = "A folder written by 'latent train' (model.json + model.safetensors)" };

    public static Option<string> OutFile(string what) => new("--out", "-o") { Description = what, Required = true };

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
