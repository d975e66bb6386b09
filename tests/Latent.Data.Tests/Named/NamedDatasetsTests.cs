using System.Security.Cryptography;
using Latent.Data.Download;
using Latent.Data.Named;

namespace Latent.Data.Tests.Named;

public class NamedDatasetsTests
{
    private static readonly string[] FileNames =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    // Options isolated from the machine: no environment, no shared search, cache in a temp folder.
    private static DataOptions Isolated(TempDir tmp, string? env = null) => new()
    {
        GetEnvironmentVariable = name => name == DataOptions.EnvironmentVariableName ? env : null,
        SharedSearchStarts = [],
        // The upward search stays inside the temp folder: a shared/datasets beside a parent of the system temp
        // folder (as on a CI machine) must not decide the outcome.
        SharedSearchTop = tmp.Path,
        CacheDir = tmp.Sub("cache"),
    };

    private static void WriteSet(string folder, int trainCount, int testCount, bool withTrain = true)
    {
        Directory.CreateDirectory(folder);
        var (ti, tl) = TestFiles.IdxPair(trainCount);
        var (vi, vl) = TestFiles.IdxPair(testCount);
        if (withTrain)
        {
            File.WriteAllBytes(Path.Combine(folder, FileNames[0]), TestFiles.Gzip(ti));
            File.WriteAllBytes(Path.Combine(folder, FileNames[1]), TestFiles.Gzip(tl));
        }
        File.WriteAllBytes(Path.Combine(folder, FileNames[2]), TestFiles.Gzip(vi));
        File.WriteAllBytes(Path.Combine(folder, FileNames[3]), vl); // raw content under a .gz name also works
    }

    [Fact]
    public void Data_dir_comes_before_environment_before_shared_before_cache()
    {
        using var tmp = new TempDir();
        var opts = Isolated(tmp, env: tmp.Sub("env")) with { DataDir = tmp.Sub("explicit"), SharedSearchStarts = [tmp.Sub("repo/a/b")] };
        WriteSet(Path.Combine(opts.CacheDir!, "fashion-mnist"), 3, 2);
        // The cache is the last folder searched; its files came from a download and must match their checksums.
        var bad = Assert.Throws<DatasetFormatException>(() => NamedDatasets.Resolve("fashion-mnist", opts));
        Assert.Contains("cached file fails its check", bad.Message);

        WriteSet(Path.Combine(tmp.Path, "repo", "shared", "datasets", "fashion-mnist"), 3, 2);
        var r = NamedDatasets.Resolve("fashion-mnist", opts);
        Assert.Equal(DataOrigin.SharedDatasets, r.Origin);
        Assert.Equal(Path.Combine(tmp.Path, "repo", "shared", "datasets", "fashion-mnist"), r.Folder);

        WriteSet(Path.Combine(tmp.Path, "env", "fashion-mnist"), 3, 2);
        Assert.Equal(DataOrigin.EnvironmentVariable, NamedDatasets.Resolve("fashion-mnist", opts).Origin);

        WriteSet(Path.Combine(tmp.Path, "explicit"), 3, 2); // files directly in the data dir
        r = NamedDatasets.Resolve("fashion-mnist", opts);
        Assert.Equal(DataOrigin.DataDir, r.Origin);
        Assert.Equal(Path.Combine(tmp.Path, "explicit"), r.Folder);
        Assert.Equal(4, r.Files.Count);
        Assert.Contains(r.Folder, r.ToString());
    }

    [Fact]
    public void Loads_train_and_test_with_description()
    {
        using var tmp = new TempDir();
        var opts = Isolated(tmp) with { DataDir = tmp.Path };
        WriteSet(Path.Combine(tmp.Path, "mnist"), 6, 4);
        var train = NamedDatasets.Load("mnist", "train", opts);
        var test = NamedDatasets.Load("mnist", "test", opts);
        Assert.Equal(6, train.Count);
        Assert.Equal(4, test.Count);
        Assert.Equal("mnist/train", train.Name);
        Assert.Contains("official train split", train.Description);
        Assert.Throws<ArgumentException>(() => NamedDatasets.Load("mnist", "validation", opts));
        Assert.Throws<ArgumentException>(() => NamedDatasets.Resolve("cifar", opts));
    }

    [Fact]
    public void On_demand_the_training_images_are_read_from_a_decompressed_copy_and_equal_the_loaded_ones()
    {
        using var tmp = new TempDir();
        var opts = Isolated(tmp) with { DataDir = tmp.Path };
        WriteSet(Path.Combine(tmp.Path, "fashion-mnist"), 9, 4);
        var resolution = NamedDatasets.Resolve("fashion-mnist", opts);
        string cache = tmp.Sub("raw");
        var loaded = NamedDatasets.Load(resolution, "train");
        var train = NamedDatasets.LoadOnDemand(resolution, "train", cache);
        var test = NamedDatasets.LoadOnDemand(resolution, "test", cache);

        Assert.True(train.OnDemand);
        Assert.False(test.OnDemand); // the test split is loaded whole
        Assert.Equal(loaded.Name, train.Name);
        Assert.Equal(loaded.Description, train.Description);
        Assert.Equal(loaded.Labels, train.Labels);
        int[] all = [8, 7, 6, 5, 4, 3, 2, 1, 0];
        Assert.Equal(loaded.Batch(all).ToArray(), train.Batch(all).ToArray());
        Assert.Equal(NamedDatasets.Load(resolution, "test").X, test.X);
        Assert.Single(Directory.GetFiles(cache)); // the training images, decompressed once

        // MNIST's training split carved from the t10k files has no file of its own: it is loaded.
        WriteSet(Path.Combine(tmp.Path, "mnist"), 0, 8010, withTrain: false);
        var carved = NamedDatasets.LoadOnDemand(NamedDatasets.Resolve("mnist", opts), "train", cache);
        Assert.False(carved.OnDemand);
        Assert.Equal(8000, carved.Count);
    }

    [Fact]
    public void Nothing_found_offline_names_the_files_and_where_to_put_them()
    {
        using var tmp = new TempDir();
        var opts = Isolated(tmp) with { DataDir = tmp.Sub("d") };
        var e = Assert.Throws<DatasetNotFoundException>(() => NamedDatasets.Resolve("fashion-mnist", opts));
        Assert.Equal(FileNames, e.MissingFiles);
        foreach (var f in FileNames) Assert.Contains(f, e.Message);
        Assert.Contains(tmp.File("d"), e.Message);
        Assert.Contains(Path.Combine(opts.CacheDir!, "fashion-mnist"), e.Message);
        Assert.Contains("LATENT_DATA", e.Message);
    }

    [Fact]
    public void Fashion_mnist_without_train_files_is_not_carved_from_test()
    {
        using var tmp = new TempDir();
        var opts = Isolated(tmp) with { DataDir = tmp.Path };
        WriteSet(Path.Combine(tmp.Path, "fashion-mnist"), 0, 9000, withTrain: false);
        Assert.Throws<DatasetNotFoundException>(() => NamedDatasets.Resolve("fashion-mnist", opts));
    }

    [Fact]
    public void Real_mnist_with_only_t10k_splits_8000_2000_and_says_so()
    {
        var opts = new DataOptions { DataDir = TestFiles.SharedDatasets, GetEnvironmentVariable = _ => null, SharedSearchStarts = [], CacheDir = Path.Combine(Path.GetTempPath(), "latent-no-cache-" + Guid.NewGuid().ToString("N")) };
        var r = NamedDatasets.Resolve("mnist", opts);
        Assert.True(r.TrainFromTestFiles);
        Assert.Equal(2, r.Files.Count);
        Assert.Contains("8,000", r.ToString());

        var train = NamedDatasets.Load(r, "train");
        var test = NamedDatasets.Load(r, "test");
        Assert.Equal(8000, train.Count);
        Assert.Equal(2000, test.Count);
        Assert.Contains("first 8,000", train.Description);
        Assert.Contains("last 2,000", test.Description);
        // The two parts are the t10k file in order: test sample 0 is t10k image 8000.
        var all = Latent.Data.Idx.IdxReader.Load(r.TestImages, r.TestLabels);
        Assert.Equal(all.X.AsSpan(8000 * 784, 784).ToArray(), test.X.AsSpan(0, 784).ToArray());
        Assert.Equal(all.Labels![7999], train.Labels![7999]);
    }

    [Fact]
    public void Real_shared_datasets_are_found_by_walking_up_from_the_program_folder()
    {
        using var tmp = new TempDir();
        var opts = new DataOptions { GetEnvironmentVariable = _ => null, CacheDir = tmp.Path, SharedSearchStarts = [AppContext.BaseDirectory] };
        var r = NamedDatasets.Resolve("fashion-mnist", opts);
        Assert.Equal(DataOrigin.SharedDatasets, r.Origin);
        Assert.False(r.TrainFromTestFiles);
        Assert.Equal(Path.GetFullPath(Path.Combine(TestFiles.SharedDatasets, "fashion-mnist")), r.Folder);
    }

    [Fact]
    public void Real_files_match_the_catalog_checksums()
    {
        foreach (var spec in new[] { NamedDatasets.FashionMnist, NamedDatasets.Mnist })
        {
            var folder = Path.Combine(TestFiles.SharedDatasets, spec.Name);
            foreach (var f in spec.Files)
            {
                var path = Path.Combine(folder, f.FileName);
                if (!File.Exists(path)) { Assert.Equal("mnist", spec.Name); continue; } // MNIST train is not in shared/
                Assert.Null(Downloader.Verify(f, path));
            }
        }
    }

    [Fact]
    public void Download_when_allowed_fills_the_cache_then_resolves_from_it()
    {
        using var tmp = new TempDir();
        using var server = new LocalHttpServer();
        var (ti, tl) = TestFiles.IdxPair(5);
        var (vi, vl) = TestFiles.IdxPair(3);
        byte[][] contents = [ti, tl, vi, vl];
        for (int i = 0; i < 4; i++) server.Serve("/mirror2/" + FileNames[i], TestFiles.Gzip(contents[i]));
        string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));
        var spec = new NamedDatasetSpec("toy",
            new RemoteFile(FileNames[0], Sha(ti)), new RemoteFile(FileNames[1], Sha(tl)),
            new RemoteFile(FileNames[2], Sha(vi)), new RemoteFile(FileNames[3], Sha(vl)),
            [server.Base("mirror1"), server.Base("mirror2")]);
        var opts = Isolated(tmp);

        Assert.Throws<DatasetNotFoundException>(() => NamedDatasets.Resolve(spec, opts));
        var r = NamedDatasets.Resolve(spec, opts with { AllowDownload = true });
        Assert.Equal(DataOrigin.Download, r.Origin);
        Assert.Equal(Path.Combine(opts.CacheDir!, "toy"), r.Folder);
        Assert.Equal(5, NamedDatasets.Load(r, "train").Count);

        var again = NamedDatasets.Resolve(spec, opts);
        Assert.Equal(DataOrigin.Cache, again.Origin);
    }
}
