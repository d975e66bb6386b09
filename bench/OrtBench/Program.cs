using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML.OnnxRuntime;

namespace Latent.OrtBench;

/// <summary>
/// <c>OrtBench --threads T --model DIR [--data DIR] [--calls N]</c>: the ONNX Runtime side of <c>Latent.Bench infer</c>:
/// DIR/encoder.onnx (bench/export_encoder_onnx.py) over the 10,000 Fashion-MNIST test images at batch 256 (best of 3
/// passes after a warm-up pass) and one image at a time (N calls after 100 warm-up calls). Prints
/// <c>ORT infer threads= images_per_s= p50_us= p99_us= checksum= ort=</c>.
/// </summary>
/// <remarks>
/// The session uses every graph optimisation, T intra-op threads, one inter-op thread and sequential execution; inputs
/// and outputs are <see cref="OrtValue"/>s over preallocated managed arrays, so the timings hold no marshalling copies.
/// </remarks>
public static class Program
{
    /// <summary>Entry point; 0 on success, 2 on a usage error.</summary>
    public static int Main(string[] args)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2) o[args[i].TrimStart('-')] = args[i + 1];
        if (!o.TryGetValue("model", out var modelDir))
        {
            Console.Error.WriteLine("usage: OrtBench --threads T --model DIR [--data DIR] [--calls N]");
            return 2;
        }
        int threads = int.Parse(o.GetValueOrDefault("threads", "1"), CultureInfo.InvariantCulture);
        int calls = int.Parse(o.GetValueOrDefault("calls", "1000"), CultureInfo.InvariantCulture);
        var (pixels, count) = LoadTestImages(o.GetValueOrDefault("data", ""));
        const int features = 784, batch = 256, zDim = 32;

        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        using var session = new InferenceSession(Path.Combine(modelDir, "encoder.onnx"), options);
        using var runOptions = new RunOptions();
        string[] inNames = ["x"], outNames = ["z"];

        double checksum = 0;
        var zBuf = new float[batch * zDim];
        double Pass(bool sum)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int start = 0; start < count; start += batch)
            {
                int b = Math.Min(batch, count - start);
                using var x = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                    pixels.AsMemory(start * features, b * features), [b, 1, 28, 28]);
                using var z = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, zBuf.AsMemory(0, b * zDim), [b, zDim]);
                session.Run(runOptions, inNames, [x], outNames, [z]);
                if (sum) for (int i = 0; i < b * zDim; i++) checksum += zBuf[i];
            }
            return Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Pass(sum: true);
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++) best = Math.Min(best, Pass(sum: false));

        var one = new float[features];
        var zOne = new float[zDim];
        using var xOne = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, one.AsMemory(), [1, 1, 28, 28]);
        using var zOneValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, zOne.AsMemory(), [1, zDim]);
        var latencies = new double[calls];
        for (int i = -100; i < calls; i++)
        {
            pixels.AsSpan((i + 100) % count * features, features).CopyTo(one);
            long t0 = Stopwatch.GetTimestamp();
            session.Run(runOptions, inNames, [xOne], outNames, [zOneValue]);
            if (i >= 0) latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ORT infer threads={threads} images_per_s={count / best:F0} p50_us={latencies[calls / 2]:F1} p99_us={latencies[calls * 99 / 100]:F1} checksum={checksum:F3} ort={OrtEnv.Instance().GetVersionString()}"));
        return 0;
    }

    /// <summary>Fashion-MNIST test images as floats in [0, 1], [count, 784], from DIR/fashion-mnist or the shared datasets.</summary>
    private static (float[] Pixels, int Count) LoadTestImages(string dataDir)
    {
        if (dataDir.Length == 0)
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (Directory.Exists(Path.Combine(d.FullName, "shared", "datasets", "fashion-mnist"))) { dataDir = Path.Combine(d.FullName, "shared", "datasets"); break; }
        }
        string path = Path.Combine(dataDir, "fashion-mnist", "t10k-images-idx3-ubyte.gz");
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        var raw = ms.ToArray();
        int Be(int at) => raw[at] << 24 | raw[at + 1] << 16 | raw[at + 2] << 8 | raw[at + 3];
        if (Be(0) != 2051) throw new InvalidDataException($"{path}: bad magic {Be(0)}");
        int count = Be(4), features = Be(8) * Be(12);
        var pixels = new float[count * features];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = raw[16 + i] / 255f;
        return (pixels, count);
    }
}
