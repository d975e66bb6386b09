using Latent.Data.Download;
using Latent.Data.Idx;
using Latent.Data.Rows;

namespace Latent.Data.Named;

/// <summary>
/// The named datasets <c>mnist</c> and <c>fashion-mnist</c> (splits <c>train</c> and <c>test</c>), found in this order:
/// <see cref="DataOptions.DataDir"/>, the LATENT_DATA environment variable, a shared/datasets folder beside the
/// current directory or the program's folder or any of their parents, the per-user cache, then (when allowed) a
/// download into the cache. A folder is used when it holds all four IDX files (raw or gzip) directly or in a
/// sub-folder named after the dataset. For MNIST, when no folder holds the training files but one holds the test
/// (t10k) files, train = the first 8,000 test images and test = the last 2,000 (see docs/DATA.md).
/// </summary>
public static class NamedDatasets
{
    /// <summary>MNIST (LeCun, Cortes, Burges). Checksums: see docs/DATA.md for their kind and source.</summary>
    public static NamedDatasetSpec Mnist { get; } = new(
        "mnist",
        // Train files are not available locally: SHA-256 of the official .gz archives as served by the mirrors
        // (published e.g. in ankane/torchvision-ruby lib/torchvision/datasets/mnist.rb and TensorFlow Datasets).
        new RemoteFile("train-images-idx3-ubyte.gz", null, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 47_040_016),
        new RemoteFile("train-labels-idx1-ubyte.gz", null, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 60_008),
        // Test files: SHA-256 of the decompressed content, computed from the official files in shared/datasets.
        new RemoteFile("t10k-images-idx3-ubyte.gz", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 7_840_016),
        new RemoteFile("t10k-labels-idx1-ubyte.gz", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 10_008),
        [
            new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            new Uri("http://yann.lecun.com/exdb/mnist/"),
        ],
        TestOnlyTrainCount: 8000,
        ClassNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);

    /// <summary>Fashion-MNIST (Xiao, Rasul, Vollgraf 2017). Checksums are of the decompressed content.</summary>
    public static NamedDatasetSpec FashionMnist { get; } = new(
        "fashion-mnist",
        new RemoteFile("train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", null, 47_040_016),
        new RemoteFile("train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", null, 60_008),
        new RemoteFile("t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", null, 7_840_016),
        new RemoteFile("t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", null, 10_008),
        [
            new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            new Uri("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
        ],
        // The label names of Xiao et al. 2017, Table 1.
        ClassNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);

    /// <summary>The names accepted by <see cref="Load(string, string, DataOptions?)"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mnist", "fashion-mnist"];

    /// <summary>The spec for <paramref name="name"/> (case-insensitive).</summary>
    public static NamedDatasetSpec Spec(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "mnist" => Mnist,
            "fashion-mnist" or "fashion_mnist" or "fashionmnist" => FashionMnist,
            _ => throw new ArgumentException($"unknown dataset '{name}': expected one of {string.Join(", ", Names)}", nameof(name)),
        };
    }

    /// <summary>Finds (or downloads) the files of <paramref name="name"/>; see the class summary for the order.</summary>
    public static DataResolution Resolve(string name, DataOptions? options = null) => Resolve(Spec(name), options);

    /// <summary>Finds (or downloads) the files of <paramref name="spec"/>.</summary>
    public static DataResolution Resolve(NamedDatasetSpec spec, DataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new DataOptions();
        var candidates = Candidates(spec.Name, options);
        var searched = candidates.Select(c => c.Folder).ToList();

        bool download = options.DownloadsAllowed();
        foreach (var (origin, folder) in candidates)
        {
            var found = spec.Files.Select(f => Find(folder, f.FileName)).ToArray();
            if (found.All(f => f is not null))
            {
                // Files in the cache came from a download: check them once per process; a bad one is fetched again when allowed.
                if (origin == DataOrigin.Cache && !CachedFilesOk(spec, found!, download)) continue;
                return new DataResolution(spec.Name, origin, folder, found[0], found[1], found[2]!, found[3]!, null, searched);
            }
        }

        if (download)
        {
            var cache = Path.Combine(options.ResolvedCacheDir(), spec.Name);
            var mirrors = options.Mirrors ?? spec.Mirrors;
            var downloader = new Downloader(options.Http);
            var paths = spec.Files.Select(f => downloader.Fetch(f, mirrors, cache, options.Progress)).ToArray();
            return new DataResolution(spec.Name, DataOrigin.Download, cache, paths[0], paths[1], paths[2], paths[3], null, searched);
        }

        if (spec.TestOnlyTrainCount is int k)
        {
            foreach (var (origin, folder) in candidates)
            {
                var images = Find(folder, spec.TestImages.FileName);
                var labels = Find(folder, spec.TestLabels.FileName);
                if (images is not null && labels is not null)
                    return new DataResolution(spec.Name, origin, folder, null, null, images, labels, k, searched);
            }
        }

        var missing = spec.Files.Select(f => f.FileName).ToList();
        var where = Path.Combine(options.ResolvedCacheDir(), spec.Name);
        var alt = spec.TestOnlyTrainCount is null ? "" : $" (the two t10k files alone also work: train = first {spec.TestOnlyTrainCount:N0} test images)";
        throw new DatasetNotFoundException(spec.Name, missing, searched,
            $"{spec.Name}: files not found: {string.Join(", ", missing)} (gzip or raw){alt}. Searched: {string.Join(", ", searched)}. " +
            $"Put them in {where}, or in <dir>/{spec.Name}/ and pass the data directory or set {DataOptions.EnvironmentVariableName}=<dir>, " +
            $"or allow a download (latent --download, or {DataOptions.DownloadEnvironmentVariableName}=1).");
    }

    // True when every cached file matches its checksum. A file that does not is deleted when a download may replace
    // it (false: download again); otherwise it is an error naming the file.
    private static bool CachedFilesOk(NamedDatasetSpec spec, string?[] found, bool download)
    {
        bool ok = true;
        for (int i = 0; i < found.Length; i++)
        {
            var file = spec.Files[i];
            var path = found[i]!;
            // A raw (decompressed) copy has the content checksum only.
            var check = path.EndsWith(".gz", StringComparison.Ordinal) ? file : file with { ArchiveSha256 = null };
            if (check.ContentSha256 is null && check.ArchiveSha256 is null) continue;
            var problem = Downloader.VerifyCached(check, path);
            if (problem is null) continue;
            if (!download)
                throw new DatasetFormatException(path, $"cached file fails its check ({problem}): delete it, or allow a download (latent --download, or {DataOptions.DownloadEnvironmentVariableName}=1) to fetch it again");
            File.Delete(path);
            ok = false;
        }
        return ok;
    }

    /// <summary>
    /// Loads split <paramref name="split"/> ("train" or "test") of <paramref name="name"/> as [N, 1, 28, 28] in [0, 1]
    /// with labels; the dataset's <see cref="Dataset.Description"/> says where it came from and how it was split.
    /// </summary>
    public static Dataset Load(string name, string split, DataOptions? options = null)
    {
        var spec = Spec(name);
        return Load(Resolve(spec, options), split);
    }

    /// <summary>Loads split <paramref name="split"/> of an already resolved dataset.</summary>
    public static Dataset Load(DataResolution resolution, string split)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        ArgumentNullException.ThrowIfNull(split);
        string s = split.ToLowerInvariant();
        if (s is not ("train" or "test"))
            throw new ArgumentException($"{resolution.Dataset}: unknown split '{split}': expected train or test", nameof(split));
        string name = $"{resolution.Dataset}/{s}";
        if (resolution.TestOnlyTrainCount is int k)
        {
            var all = IdxReader.Load(resolution.TestImages, resolution.TestLabels, name);
            if (all.Count <= k)
                throw new DatasetFormatException(resolution.TestImages, $"expected more than {k} images to carve a train split, found {all.Count}");
            int[] idx = s == "train" ? Enumerable.Range(0, k).ToArray() : Enumerable.Range(k, all.Count - k).ToArray();
            var part = all.Subset(idx, name);
            string note = s == "train"
                ? $"{resolution.Dataset} train = first {k:N0} of the {all.Count:N0} test (t10k) images from {resolution.Folder}; the official training files were not found"
                : $"{resolution.Dataset} test = last {all.Count - k:N0} of the {all.Count:N0} test (t10k) images from {resolution.Folder} (the first {k:N0} are the train split)";
            return part.WithDescription(note);
        }
        var ds = s == "train"
            ? IdxReader.Load(resolution.TrainImages!, resolution.TrainLabels, name)
            : IdxReader.Load(resolution.TestImages, resolution.TestLabels, name);
        return ds.WithDescription($"{resolution.Dataset} official {s} split from {resolution.Folder} ({resolution.Origin})");
    }

    /// <summary>
    /// <see cref="Load(DataResolution, string)"/>, except that the official training images are read on demand
    /// (<see cref="FileRows"/>: each process then holds only the rows it uses), decompressed once into
    /// <paramref name="gzipCache"/> when they are gzip files. The test split, and a training split carved from the test
    /// files, are loaded whole. The samples, labels, name and description are those of <see cref="Load(DataResolution, string)"/>.
    /// </summary>
    public static Dataset LoadOnDemand(DataResolution resolution, string split, string gzipCache)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(gzipCache);
        if (resolution.TrainImages is null || !split.Equals("train", StringComparison.OrdinalIgnoreCase)) return Load(resolution, split);
        if (FileRows.TryOpen(resolution.TrainImages, gzipCache) is not { Format: "idx" } rows) return Load(resolution, split);
        return rows.ToDataset(resolution.TrainLabels, $"{resolution.Dataset}/train")
            .WithDescription($"{resolution.Dataset} official train split from {resolution.Folder} ({resolution.Origin})");
    }

    /// <summary>The folder search order for <paramref name="dataset"/> (existing folders only, no duplicates).</summary>
    public static IReadOnlyList<(DataOrigin Origin, string Folder)> Candidates(string dataset, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var list = new List<(DataOrigin, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(DataOrigin o, string dir)
        {
            var full = Path.GetFullPath(dir);
            if (Directory.Exists(full) && seen.Add(full)) list.Add((o, full));
        }
        void AddRoot(DataOrigin o, string root)
        {
            Add(o, Path.Combine(root, dataset));
            Add(o, root);
        }

        if (!string.IsNullOrEmpty(options.DataDir)) AddRoot(DataOrigin.DataDir, options.DataDir);
        var env = (options.GetEnvironmentVariable ?? Environment.GetEnvironmentVariable)(DataOptions.EnvironmentVariableName);
        if (!string.IsNullOrEmpty(env)) AddRoot(DataOrigin.EnvironmentVariable, env);
        var starts = options.SharedSearchStarts ?? [Directory.GetCurrentDirectory(), AppContext.BaseDirectory];
        var top = options.SharedSearchTop is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.SharedSearchTop));
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                Add(DataOrigin.SharedDatasets, Path.Combine(dir.FullName, "shared", "datasets", dataset));
                if (top is not null && Path.TrimEndingDirectorySeparator(dir.FullName) == top) break;
            }
        }
        Add(DataOrigin.Cache, Path.Combine(options.ResolvedCacheDir(), dataset));
        return list;
    }

    /// <summary>folder/name, or folder/name-without-.gz, whichever exists first; else null.</summary>
    private static string? Find(string folder, string fileName)
    {
        var p = Path.Combine(folder, fileName);
        if (File.Exists(p)) return p;
        if (fileName.EndsWith(".gz", StringComparison.Ordinal))
        {
            var raw = Path.Combine(folder, fileName[..^3]);
            if (File.Exists(raw)) return raw;
        }
        return null;
    }
}
