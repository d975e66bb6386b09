using System.Buffers.Binary;
using System.Text;
using Latent.Core.IO;

namespace Latent.Cli.Tests;

/// <summary>Every bad input: exit code ≠ 0, one line on stderr naming the problem, no stack trace, existing outputs untouched.</summary>
public class ErrorTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    /// <summary>Runs a training on <paramref name="data"/> into a folder holding a previous good run; asserts the failure left it as it was.</summary>
    private static void TrainFails(string data, string contains, params string[] extra)
    {
        var dir = CliRunner.TempDir();
        System.IO.File.WriteAllText(Path.Combine(dir, "model.json"), "{\"previous\": true}");
        var before = CliRunner.Snapshot(dir);
        var r = CliRunner.Run(["train", "--data", data, "--epochs", "1", "--out", dir, "--quiet", .. extra]);
        CliRunner.AssertOneLineError(r, contains: contains);
        Assert.Equal(before, CliRunner.Snapshot(dir));
    }

    private static string File(string name, byte[] bytes)
    {
        var path = Path.Combine(CliRunner.TempDir(), name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Idx(int n, int h, int w, int truncateBy = 0)
    {
        var b = new byte[16 + n * h * w];
        b[2] = 0x08; b[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), n);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), h);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(12), w);
        for (int i = 16; i < b.Length; i++) b[i] = (byte)(i * 7);
        return b[..(b.Length - truncateBy)];
    }

    [Fact]
    public void Truncated_idx() => TrainFails(File("t-images-idx3-ubyte", Idx(10, 8, 8, truncateBy: 5)), "t-images-idx3-ubyte");

    [Fact]
    public void Idx_with_a_wrong_magic()
    {
        var b = Idx(10, 8, 8);
        b[0] = 0x42;
        TrainFails(File("m-images-idx3-ubyte", b), "magic");
    }

    [Fact]
    public void Ragged_csv() => TrainFails(File("ragged.csv", Encoding.ASCII.GetBytes("a,b,c\n1,2,3\n4,5\n")), "line 3");

    [Fact]
    public void Non_numeric_csv() => TrainFails(File("words.csv", Encoding.ASCII.GetBytes("a,b\n1,2\n3,hello\n")), "hello");

    private static byte[] Png(Action<byte[]>? corrupt = null)
    {
        var png = Latent.Viz.Png.PngEncoder.Encode(4, 4, 1, new byte[16]);
        corrupt?.Invoke(png);
        return png;
    }

    private static string PngFolder(byte[] png)
    {
        var dir = CliRunner.TempDir();
        System.IO.File.WriteAllBytes(Path.Combine(dir, "a.png"), Png());
        System.IO.File.WriteAllBytes(Path.Combine(dir, "b.png"), png);
        return dir;
    }

    [Fact]
    public void Png_with_a_bad_crc() => TrainFails(PngFolder(Png(p => p[29] ^= 0xFF)), "CRC");

    [Fact]
    public void Unsupported_png()
    {
        // Bit depth 7 (IHDR byte 24) with a correct CRC: well-formed chunks, unsupported image.
        var png = Png(p =>
        {
            p[24] = 7;
            BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(29), Crc32.Compute(p.AsSpan(12, 17)));
        });
        TrainFails(PngFolder(png), "b.png");
    }

    [Fact]
    public void Unknown_model_and_dataset_and_option_values()
    {
        TrainFails("sprites", "unknown model 'nope'", "--model", "nope");
        TrainFails("imagenet", "unknown dataset 'imagenet'");
        TrainFails("no/such/file.csv", "not found");
        TrainFails("sprites", "unknown schedule", "--schedule", "warp");
        TrainFails("sprites", "augmentation: unknown key 'flip'", "--augment", "flip:1");
        TrainFails("sprites", "--set 'x'", "--set", "x");
        TrainFails("sprites", "unknown option 'depth'", "--set", "depth=3");
        var r = CliRunner.Run("train", "--optimizer", "lion");
        CliRunner.AssertOneLineError(r, code: 2, contains: "lion");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--epochs", "many"), code: 2, contains: "many");
        CliRunner.AssertOneLineError(CliRunner.Run("frobnicate"), code: 2);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--epochs", "0", "--out", CliRunner.TempDir()), contains: "epochs 0");
    }

    /// <summary>A copy of the trained model folder to break.</summary>
    private string CopyModel()
    {
        var dir = CliRunner.TempDir();
        foreach (var f in new[] { "model.json", "model.safetensors" })
            System.IO.File.Copy(Path.Combine(fixture.Dir, f), Path.Combine(dir, f));
        return dir;
    }

    private static void CommandsFail(string dir, string contains)
    {
        var png = Path.Combine(CliRunner.TempDir(), "out.png");
        System.IO.File.WriteAllText(png, "previous");
        var hash = CliRunner.Hash(png);
        CliRunner.AssertOneLineError(CliRunner.Run("eval", dir), contains: contains);
        CliRunner.AssertOneLineError(CliRunner.Run("reconstruct", dir, "--out", png), contains: contains);
        Assert.Equal(hash, CliRunner.Hash(png));
    }

    [Fact]
    public void Safetensors_with_a_lying_header()
    {
        var dir = CopyModel();
        var path = Path.Combine(dir, "model.safetensors");
        var bytes = System.IO.File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length * 4); // header longer than the file
        System.IO.File.WriteAllBytes(path, bytes);
        CommandsFail(dir, "model.safetensors");
    }

    [Fact]
    public void Safetensors_with_a_missing_or_misshapen_tensor()
    {
        var dir = CopyModel();
        var path = Path.Combine(dir, "model.safetensors");
        var (tensors, _) = SafeTensors.Read(path);
        var first = tensors.Keys.First();
        var manifest = Path.Combine(dir, "model.json"); // a manifest that names no checksum: the tensors themselves are checked
        System.IO.File.WriteAllLines(manifest, System.IO.File.ReadAllLines(manifest).Where(l => !l.Contains("\"weights_sha256\"", StringComparison.Ordinal)));
        SafeTensors.Write(path, tensors.Where(t => t.Key != first).Select(t => (t.Key, t.Value)));
        CommandsFail(dir, $"'{first}'");
        SafeTensors.Write(path, tensors.Select(t => (t.Key, t.Key == first ? new Latent.Core.Tensor(new float[3], [3]) : t.Value)));
        CommandsFail(dir, "shape");
        SafeTensors.Write(path, tensors.Select(t => (t.Key, t.Value)).Append(("extra.weight", new Latent.Core.Tensor(new float[1], [1]))));
        CommandsFail(dir, "extra.weight");
    }

    [Fact]
    public void Model_json_garbage()
    {
        var dir = CopyModel();
        System.IO.File.WriteAllText(Path.Combine(dir, "model.json"), "{ this is not json");
        CommandsFail(dir, "model.json");
        System.IO.File.WriteAllText(Path.Combine(dir, "model.json"), "{\"format_version\": 1, \"model\": \"ae\", \"options\": \"arch=1-2\", \"code_size\": 2, \"input_shape\": [0]}");
        CommandsFail(dir, "input_shape");
        System.IO.File.WriteAllText(Path.Combine(dir, "model.json"), "{\"format_version\": 1, \"model\": \"nope\", \"options\": \"\", \"code_size\": 2, \"input_shape\": [4]}");
        CommandsFail(dir, "unknown model 'nope'");
        CommandsFail(CliRunner.TempDir(), "no model.json");
    }

    [Fact]
    public void Corrupt_checkpoint_on_resume_and_info()
    {
        var dir = CliRunner.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "checkpoints"));
        var ck = Path.Combine(dir, "checkpoints", "checkpoint.latent");
        System.IO.File.WriteAllText(ck, "LATENTCK but not really a checkpoint at all");
        var before = CliRunner.Snapshot(dir);
        CliRunner.AssertOneLineError(CliRunner.Run(CliRunner.TinyTrain(dir, "--resume")), contains: "checkpoint");
        CliRunner.AssertOneLineError(CliRunner.Run("info", ck), contains: "checkpoint");
        // The run took the folder's lock: the (empty) lock file stays, nothing else changed.
        Assert.Equal(before, CliRunner.Snapshot(dir).Where(kv => Path.GetFileName(kv.Key) != Latent.Models.Runs.TrainingRunFolder.LockFileName).ToDictionary());
        CliRunner.AssertOneLineError(CliRunner.Run(CliRunner.TinyTrain(CliRunner.TempDir(), "--resume")), contains: "no checkpoint");
    }
}
