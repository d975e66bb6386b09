using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

using F = TorchSharp.torch.nn.functional;

namespace Latent.TorchSharpBench;

/// <summary>
/// <c>TorchSharpBench &lt;sgemm|mlp|conv&gt; [--threads T] [--size N] [--reps R] [--epochs E] [--steps S] [--data DIR]</c>:
/// the workloads of bench/Latent.Bench written with TorchSharp (libtorch 2.10, CPU), printed as one line of
/// <c>key=value</c> fields that bench/run.sh reads: <c>TORCHSHARP sgemm ... gflops=</c> or
/// <c>TORCHSHARP &lt;task&gt; threads= seconds=&lt;best epoch&gt; rss_mb=&lt;peak RSS&gt; loss=&lt;last epoch mean&gt; cpu_s=&lt;CPU time of the best epoch&gt;</c>.
/// </summary>
/// <remarks>
/// The models, PyTorch-default init, losses, Adam (lr 1e-3), batch sizes (MLP 512, conv VAE 128) and data order (a
/// fresh shuffle per epoch, the last batch smaller) are those of Latent.Bench and bench/torch_epochs.py. Each step runs
/// in a dispose scope, as a TorchSharp user should write it, so native tensors are freed when the step ends rather than
/// when the GC finalises them.
/// </remarks>
public static class Program
{
    /// <summary>Entry point; 0 on success, 2 on a usage error.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("sgemm" or "mlp" or "conv"))
        {
            Console.Error.WriteLine("usage: TorchSharpBench <sgemm|mlp|conv> [--threads T] [--size N] [--reps R] [--epochs E] [--steps S] [--data DIR]");
            return 2;
        }
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i + 1 < args.Length; i += 2) o[args[i].TrimStart('-')] = args[i + 1];
        int Int(string name, int fallback) => o.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        int threads = Int("threads", 1);
        torch.set_num_threads(threads);
        torch.set_num_interop_threads(1);
        torch.manual_seed(0);
        return args[0] == "sgemm"
            ? Sgemm(Int("size", 2048), Int("reps", 7), threads)
            : Epochs(args[0], threads, Int("epochs", 2), Int("steps", int.MaxValue), o.GetValueOrDefault("data", ""));
    }

    private static int Sgemm(int n, int reps, int threads)
    {
        using var a = torch.rand(n, n) - 0.5f;
        using var b = torch.rand(n, n) - 0.5f;
        for (int i = 0; i < 3; i++) { using var _ = torch.mm(a, b); }
        double best = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            using (var _ = torch.mm(a, b)) { }
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        double gflops = 2.0 * n * n * n / best / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TORCHSHARP sgemm size={n} threads={threads} best_s={best:F5} gflops={gflops:F1}"));
        return 0;
    }

    private static int Epochs(string task, int threads, int epochs, int maxSteps, string dataDir)
    {
        var (pixels, count, features) = LoadImages(dataDir);
        using var images = torch.tensor(pixels, [count, features]);
        Task model = task == "mlp" ? new Mlp() : new ConvVae();
        var opt = torch.optim.Adam(model.parameters(), lr: 1e-3);
        int batch = task == "mlp" ? 512 : 128;
        var gen = new torch.Generator(0);
        double best = double.MaxValue, loss = double.NaN, cpuSeconds = 0;
        for (int e = 0; e < epochs; e++)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            double total = 0;
            int steps = 0;
            using (var perm = torch.randperm(count, generator: gen))
            {
                for (int start = 0; start < count && steps < maxSteps; start += batch)
                {
                    using var scope = torch.NewDisposeScope();
                    var x = images.index_select(0, perm.narrow(0, start, Math.Min(batch, count - start)));
                    var l = model.Loss(x);
                    opt.zero_grad();
                    l.backward();
                    opt.step();
                    total += l.item<float>();
                    steps++;
                }
            }
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            loss = total / steps;
            if (seconds < best)
            {
                best = seconds;
                cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TORCHSHARP {task} threads={threads} seconds={best:F3} rss_mb={PeakRssMb():F1} loss={loss:F5} cpu_s={cpuSeconds:F3} torch={torch.__version__}"));
        return 0;
    }

    /// <summary>Fashion-MNIST training images as floats in [0, 1], [count, 784], from DIR/fashion-mnist or the shared datasets.</summary>
    private static (float[] Pixels, int Count, int Features) LoadImages(string dataDir)
    {
        if (dataDir.Length == 0)
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (Directory.Exists(Path.Combine(d.FullName, "shared", "datasets", "fashion-mnist"))) { dataDir = Path.Combine(d.FullName, "shared", "datasets"); break; }
        }
        string path = Path.Combine(dataDir, "fashion-mnist", "train-images-idx3-ubyte.gz");
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        var raw = ms.ToArray();
        int Be(int at) => raw[at] << 24 | raw[at + 1] << 16 | raw[at + 2] << 8 | raw[at + 3];
        if (Be(0) != 2051) throw new InvalidDataException($"{path}: bad magic {Be(0)}");
        int count = Be(4), features = Be(8) * Be(12);
        var pixels = new float[count * features];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = raw[16 + i] / 255f;
        return (pixels, count, features);
    }

    /// <summary>Peak resident set (VmHWM in /proc/self/status), in MiB.</summary>
    private static double PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    private abstract class Task : nn.Module<Tensor, Tensor>
    {
        protected Task(string name) : base(name) { }

        public abstract Tensor Loss(Tensor x);

        public override Tensor forward(Tensor x) => Loss(x);
    }

    /// <summary>The seed autoencoder: 784-256-128-20-128-256-784, BCE-with-logits (mean).</summary>
    private sealed class Mlp : Task
    {
        private readonly nn.Module<Tensor, Tensor> _net = nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 20),
            nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 784));

        public Mlp() : base("mlp") => RegisterComponents();

        public override Tensor Loss(Tensor x) => F.binary_cross_entropy_with_logits(_net.call(x), x);
    }

    /// <summary>The convolutional VAE (z = 16): BCE summed per image + KL, averaged over the batch.</summary>
    private sealed class ConvVae : Task
    {
        private const int Z = 16;
        private readonly nn.Module<Tensor, Tensor> _enc = nn.Sequential(
            nn.Conv2d(1, 32, 4, stride: 2, padding: 1), nn.ReLU(), nn.Conv2d(32, 64, 4, stride: 2, padding: 1), nn.ReLU(),
            nn.Flatten(), nn.Linear(3136, 2 * Z));
        private readonly nn.Module<Tensor, Tensor> _dec = nn.Sequential(
            nn.Linear(Z, 3136), nn.ReLU(), nn.Unflatten(1, [64, 7, 7]),
            nn.ConvTranspose2d(64, 32, 4, stride: 2, padding: 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, stride: 2, padding: 1));

        public ConvVae() : base("conv") => RegisterComponents();

        public override Tensor Loss(Tensor x)
        {
            long b = x.shape[0];
            var images = x.view(b, 1, 28, 28);
            var h = _enc.call(images);
            var mu = h.narrow(1, 0, Z);
            var logVar = h.narrow(1, Z, Z);
            var z = mu + torch.exp(0.5f * logVar) * torch.randn_like(mu);
            var logits = _dec.call(z);
            var rec = F.binary_cross_entropy_with_logits(logits, images, reduction: nn.Reduction.Sum);
            var kl = -0.5f * torch.sum(1 + logVar - mu.pow(2) - logVar.exp());
            return (rec + kl) / b;
        }
    }
}
