using Latent.Data;
using Latent.Data.Arrays;
using Latent.Data.Generated;
using Latent.Data.Idx;
using Latent.Data.Images;
using Latent.Data.Loading;
using Latent.Data.Named;
using Latent.Data.Rows;
using Latent.Data.Series;
using Latent.Data.Tables;
using Latent.Models.IO;

namespace Latent.Models.Runs;

/// <summary>
/// Turns a data argument into a train and a test split: generated sprites, the named datasets (through
/// <see cref="NamedDatasets"/>), or a file/folder whose kind is read from its name. Tables are standardised with
/// statistics of their training rows; loading for a trained model (<see cref="LoadFor"/>) reuses that model's
/// statistics and image size and never refits them.
/// </summary>
public static class DataSource
{
    /// <summary>The generated sprites with brightness as a sixth ground-truth factor (the <c>--data</c> name).</summary>
    public const string SpritesWithBrightness = "sprites-brightness";

    /// <summary>Loads <paramref name="request"/> for training.</summary>
    public static LoadedData Load(DataRequest request) => LoadCore(request, null);

    /// <summary>
    /// The request that reproduces the data of a trained model: its source (unless <paramref name="source"/> is given),
    /// seed, split fraction, label column, image size and, for generated sprites, the same number of samples.
    /// </summary>
    public static DataRequest RequestFor(ModelManifest manifest, string? source, string? dataDir)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var d = manifest.Data;
        string src = source ?? d?.Source ?? throw new ArgumentException("--data is required: model.json does not say what data the model was trained on", nameof(source));
        bool same = d is not null && string.Equals(src, d.Source, StringComparison.OrdinalIgnoreCase);
        var request = new DataRequest { Source = src, DataDir = dataDir };
        if (d is null) return request;
        request = request with { LabelColumn = d.LabelColumn, ImageSize = d.ImageSize, Window = d.Window, Stride = d.Stride ?? 1 };
        if (same)
        {
            request = request with { Seed = d.Seed, TestFraction = d.TestFraction is > 0 and < 1 ? d.TestFraction : request.TestFraction };
            if (d.Kind == "sprites") request = request with { Samples = d.TrainCount };
        }
        return request;
    }

    /// <summary>Loads <paramref name="request"/> prepared like the data of a trained model (its image size and normalisation).</summary>
    public static LoadedData LoadFor(DataRequest request, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var trained = manifest.Data;
        var data = LoadCore(request with { ImageSize = request.ImageSize ?? trained?.ImageSize, LabelColumn = request.LabelColumn ?? trained?.LabelColumn }, trained);
        if (!Latent.Core.Shapes.Equal(data.Train.SampleShape, manifest.InputShape))
            throw new ArgumentException($"data '{request.Source}' has samples {Latent.Core.Shapes.Format(data.Train.SampleShape)}, the model expects {Latent.Core.Shapes.Format(manifest.InputShape)}", nameof(request));
        return data;
    }

    private static LoadedData LoadCore(DataRequest r, DataDescription? trained)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (string.IsNullOrWhiteSpace(r.Source)) throw new ArgumentException("--data is empty", nameof(r));
        if (!(r.TestFraction is > 0 and < 1)) throw new ArgumentException($"test fraction {r.TestFraction} must be in (0, 1)", nameof(r));
        string source = r.Source;
        string key = source.ToLowerInvariant();
        if (r.Window is int w0 && w0 < 1) throw new ArgumentException($"--window {w0} must be at least 1", nameof(r));
        if (r.Stride < 1) throw new ArgumentException($"--stride {r.Stride} must be at least 1", nameof(r));
        if (r.Window is not null && (key is "sprites" or SpritesWithBrightness or "moving-sprites" || NamedDatasets.Names.Contains(key) || Directory.Exists(source)))
            throw new ArgumentException($"--window: '{source}' is not a CSV time series (windows are cut from a .csv with one row per time step)", nameof(r));
        if (key is "sprites" or SpritesWithBrightness)
        {
            if (r.Samples < 2) throw new ArgumentException($"--samples {r.Samples} must be at least 2", nameof(r));
            int size = r.ImageSize ?? 28;
            CheckGenerated(r.Samples, (long)size * size, "sprites");
            // "sprites-brightness": the same sprites with a sixth factor, the grey level (6 values from 0.4 to 1).
            int levels = key == SpritesWithBrightness ? 6 : 1;
            var train = Sprites.Generate(r.Samples, r.Seed, size, levels);
            var test = Sprites.Generate(Math.Max(100, r.Samples / 10), r.Seed + 1_000_003, size, levels);
            return Done(train, test, "sprites", $"generated: {train.Description}", size, null, r, [.. Sprites.ShapeNames]);
        }
        if (key == "moving-sprites")
        {
            // Sequences [frames, 1, size, size] for sequence models (TD-VAE): 10 frames of 32x32 unless --image-size.
            if (r.Samples < 2) throw new ArgumentException($"--samples {r.Samples} must be at least 2", nameof(r));
            int size = r.ImageSize ?? 32;
            CheckGenerated(r.Samples, 10L * size * size, "moving-sprites");
            var train = MovingSprites.Generate(r.Samples, 10, size, r.Seed).Sequences;
            var test = MovingSprites.Generate(Math.Max(20, r.Samples / 10), 10, size, r.Seed + 1_000_003).Sequences;
            return Done(train, test, "moving-sprites", $"generated: {train.Count} moving-sprite sequences of 10 frames {size}x{size} (seed {r.Seed})", size, null, r);
        }
        if (NamedDatasets.Names.Contains(key) || key is "fashion_mnist" or "fashionmnist")
        {
            var resolution = NamedDatasets.Resolve(key, new DataOptions { DataDir = r.DataDir });
            var train = r.OnDemand ? NamedDatasets.LoadOnDemand(resolution, "train", GzipCache(r)) : NamedDatasets.Load(resolution, "train");
            var test = NamedDatasets.Load(resolution, "test");
            return Done(train, test, "named", resolution.ToString(), null, null, r, NamedDatasets.Spec(key).ClassNames?.ToArray());
        }
        if (Directory.Exists(source))
        {
            bool labelled = Directory.GetDirectories(source).Length > 0;
            var options = new ImageFolderOptions { Width = r.ImageSize, Height = r.ImageSize, LabelsFromSubfolders = labelled };
            var all = ImageFolder.Load(source, options);
            int size = all.SampleShape[^1];
            return SplitFile(all, r, "images", $"{all.Count} images from {Path.GetFullPath(source)}", all.SampleShape[^2] == size ? size : r.ImageSize, null,
                classNames: labelled ? ImageFolder.ClassNames(source) : null);
        }
        if (!File.Exists(source))
        {
            bool looksLikePath = source.Contains('/') || source.Contains('\\') || source.Contains('.');
            throw looksLikePath
                ? new FileNotFoundException($"data '{source}' not found", source)
                : new ArgumentException($"unknown dataset '{source}' (expected sprites, sprites-brightness, {string.Join(", ", NamedDatasets.Names)}, or a path to a .csv, .npy/.npz, IDX file or a folder of PNG/JPEG/BMP images)", nameof(r));
        }
        string lower = Path.GetFileName(source).ToLowerInvariant();
        bool table = lower.EndsWith(".csv") || lower.EndsWith(".csv.gz") || lower.EndsWith(".tsv");
        if (r.Window is not null && !table)
            throw new ArgumentException($"--window: '{source}' is not a .csv/.tsv time series (windows are cut from a CSV with one row per time step)", nameof(r));
        if (r.Window is int window) return LoadWindows(source, window, r, trained);
        if (table)
        {
            var all = CsvTable.Load(source, r.LabelColumn);
            int note = all.Description?.IndexOf("; no header row", StringComparison.Ordinal) ?? -1;
            return SplitFile(all, r, "csv", $"table {Path.GetFullPath(source)}" + (note < 0 ? "" : all.Description![note..]), null, trained, standardise: true);
        }
        if (lower.EndsWith(".npy") || lower.EndsWith(".npz"))
        {
            var all = OnDemand(r, source, "npy", null) ?? NpyReader.LoadDataset(source);
            return SplitFile(all, r, "npy", $"array {Path.GetFullPath(source)}", null, trained);
        }
        // Anything else is read as IDX (raw or gzip); a labels file beside an images file is picked up.
        string? labels = null;
        string name = Path.GetFileName(source);
        if (name.Contains("images-idx3", StringComparison.Ordinal))
        {
            var candidate = Path.Combine(Path.GetDirectoryName(source) ?? ".", name.Replace("images-idx3", "labels-idx1", StringComparison.Ordinal));
            if (File.Exists(candidate)) labels = candidate;
        }
        var idx = OnDemand(r, source, "idx", labels) ?? IdxReader.Load(source, labels, source);
        return SplitFile(idx, r, "idx", $"IDX {Path.GetFullPath(source)}" + (labels is null ? "" : $" with labels {Path.GetFullPath(labels)}"), null, trained);
    }

    /// <summary>
    /// The file's rows read on demand (<see cref="DataRequest.OnDemand"/>), as the whole-file reader of
    /// <paramref name="format"/> would load them, or null when not asked for or the file has no random access (then
    /// it is loaded whole, and any error is that reader's).
    /// </summary>
    private static Dataset? OnDemand(DataRequest r, string path, string format, string? labels)
    {
        if (!r.OnDemand) return null;
        var rows = FileRows.TryOpen(path, format == "idx" ? GzipCache(r) : null); // the IDX reader reads gzip too; the .npy reader does not
        if (rows is not null && rows.Format == format) return format == "idx" ? rows.ToDataset(labels, path) : rows.ToDataset(labels);
        rows?.Dispose();
        return null;
    }

    /// <summary>Where gzip files read on demand are decompressed once: raw/ in the per-user cache.</summary>
    private static string GzipCache(DataRequest r) => Path.Combine(new DataOptions { DataDir = r.DataDir }.ResolvedCacheDir(), "raw");

    /// <summary>
    /// A CSV time series cut into windows: the first 1 − TestFraction of the steps are the training part, the rest the test
    /// part (in time order, never shuffled: the windows of one part never overlap the other); each column is standardised
    /// with the training part's mean and std (or a trained model's); windows of <paramref name="window"/> steps every
    /// <c>r.Stride</c> steps in each part, samples [window, columns].
    /// </summary>
    private static LoadedData LoadWindows(string source, int window, DataRequest r, DataDescription? trained)
    {
        var series = TimeSeries.LoadCsv(source, r.LabelColumn);
        int trainSteps = trained?.TrainSteps is int known && string.Equals(trained.Source, r.Source, StringComparison.OrdinalIgnoreCase) && known <= series.Length
            ? known
            : (int)Math.Round((1 - r.TestFraction) * series.Length);
        string file = Path.GetFileName(source);
        if (window > series.Length) throw new ArgumentException($"--window {window} is longer than the series '{file}' ({series.Length} steps)", nameof(r));
        if (window > trainSteps || window > series.Length - trainSteps)
            throw new ArgumentException($"--window {window} is longer than the training part ({trainSteps} steps) or the test part ({series.Length - trainSteps} steps) of '{file}' ({series.Length} steps, test fraction {r.TestFraction})", nameof(r));
        Standardizer st = trained is { Mean: { } mean, Std: { } std }
            ? (mean.Length == series.ColumnCount ? new Standardizer(mean, std)
                : throw new ArgumentException($"data has {series.ColumnCount} columns, the model's standardisation has {mean.Length}", nameof(r)))
            : Standardizer.Fit(series.Slice(0, trainSteps).AsRows());
        var scaled = series.Standardise(st);
        var train = SeriesWindows.Windows(scaled.Slice(0, trainSteps), window, r.Stride, source);
        var test = SeriesWindows.Windows(scaled.Slice(trainSteps, series.Length - trainSteps), window, r.Stride, source);
        string note = $"{series.Length} steps x {series.ColumnCount} column(s) ({string.Join(", ", series.Columns.Take(8))}{(series.ColumnCount > 8 ? ", ..." : "")}), " +
                      $"{(series.Labels is null ? "no labels" : "labels per step")}; windows of {window} steps every {r.Stride}: steps 0..{trainSteps - 1} for training ({train.Count} windows), " +
                      $"{trainSteps}..{series.Length - 1} for test ({test.Count} windows), standardised per column on the training steps";
        train = train.WithDescription(note);
        test = test.WithDescription(note);
        var loaded = Done(train, test, "csv-windows", $"time series {Path.GetFullPath(source)}: {note}", null, null, r);
        return loaded with
        {
            Standardizer = st,
            Description = loaded.Description with { Mean = st.Mean, Std = st.Std, Window = window, Stride = r.Stride, TrainSteps = trainSteps },
        };
    }

    // Generated data obeys the same budget as files: the training samples and the test tenth, as float32.
    private static void CheckGenerated(int samples, long perSample, string kind)
    {
        if (perSample <= 0 || perSample > int.MaxValue)
            throw new ArgumentException($"--image-size: {kind} of {perSample} values each are too large", "r");
        long bytes = (samples + Math.Max(100L, samples / 10)) * perSample * sizeof(float);
        if (bytes > Latent.Core.IO.InputLimits.MaxInputBytes)
            throw new ArgumentException($"--samples {samples}: {kind} of {perSample} values each need {Latent.Core.IO.InputLimits.Format(bytes)}, over {Latent.Core.IO.InputLimits.Describe()}", "r");
    }

    private static LoadedData SplitFile(Dataset all, DataRequest r, string kind, string origin, int? imageSize, DataDescription? trained, bool standardise = false, string[]? classNames = null)
    {
        if (all.Count < 2) throw new ArgumentException($"data '{r.Source}' has {all.Count} sample(s); at least 2 are needed for a train and a test split", nameof(r));
        var split = DataSplit.Split(all, [1 - r.TestFraction, r.TestFraction], r.Seed);
        var train = split["train"];
        var test = split["test"];
        if (train.Count == 0 || test.Count == 0)
        {
            // Tiny files: largest-remainder counts can leave a part empty; keep at least one sample in each.
            var perm = Enumerable.Range(0, all.Count).ToArray();
            train = all.Subset(perm.AsSpan(1), all.Name);
            test = all.Subset(perm.AsSpan(0, 1), all.Name);
        }
        train = train.WithDescription(all.Description);
        test = test.InMemory().WithDescription(all.Description); // only the training rows are read on demand
        return Done(train, test, kind, origin, imageSize, standardise ? (trained, true) : null, r, classNames);
    }

    private static LoadedData Done(Dataset train, Dataset test, string kind, string origin, int? imageSize, (DataDescription? Trained, bool On)? standardise, DataRequest? r = null,
        string[]? classNames = null)
    {
        Standardizer? st = null;
        if (standardise is { On: true } s)
        {
            st = s.Trained is { Mean: { } mean, Std: { } std }
                ? (mean.Length == train.SampleSize ? new Standardizer(mean, std)
                    : throw new ArgumentException($"data has {train.SampleSize} features, the model's standardisation has {mean.Length}", nameof(train)))
                : Standardizer.Fit(train);
            train = st.Transform(train);
            test = st.Transform(test);
        }
        var description = new DataDescription
        {
            Source = r?.Source ?? kind,
            Kind = kind,
            Description = train.Description,
            LabelColumn = r?.LabelColumn,
            ClassNames = train.Labels is null ? null : classNames,
            ImageSize = imageSize,
            Mean = st?.Mean,
            Std = st?.Std,
            TrainCount = train.Count,
            Seed = r?.Seed ?? 0,
            TestFraction = r?.TestFraction ?? 0,
            TestCount = test.Count,
        };
        return new LoadedData(train, test, description, origin, st);
    }

    /// <summary>The samples of <paramref name="a"/> followed by those of <paramref name="b"/> (same sample shape).</summary>
    public static Dataset Concat(Dataset a, Dataset b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!Latent.Core.Shapes.Equal(a.SampleShape, b.SampleShape)) throw new ArgumentException("Concat: sample shapes differ", nameof(b));
        int[]? labels = a.Labels is not null && b.Labels is not null ? [.. a.Labels, .. b.Labels] : null;
        return new Dataset(a.Name, [.. a.X, .. b.X], a.SampleShape, labels).WithDescription(a.Description);
    }
}
