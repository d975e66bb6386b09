using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data.Idx;
using Latent.Data.Named;
using Latent.NN;
using Latent.NN.Layers;
using Latent.NN.Losses;
using Latent.NN.Optim;

namespace Latent.Bench;

/// <summary>
/// <c>mlp|conv --threads T --epochs E [--steps S] [--reuse 0|1] [--data DIR]</c>: training epochs over the 60,000
/// Fashion-MNIST training images, the same work as bench/torch_epochs.py (models, PyTorch-default init, loss, Adam 1e-3,
/// batch, a fresh shuffle per epoch, the last batch smaller; <c>--steps</c> cuts each epoch to its first S batches for
/// quick comparisons). Each step runs in a <see cref="Tensor.Step"/> scope, which hands the graph's storage to the next
/// step (<c>--reuse 0</c> turns it off, for before/after timings; the losses are bit-identical). Prints
/// <c>LATENT &lt;task&gt; threads=T seconds=&lt;best epoch&gt; rss_mb=&lt;peak RSS&gt; loss=&lt;last epoch mean&gt; gc0= gc1= gc2= gc_pause_ms= alloc_mb_per_step= cpu_s=</c>
/// (GC counts, pause time, managed allocation per step and process CPU time of the best epoch; CPU time is the
/// steadier measure on a shared machine).
/// </summary>
public static class EpochBench
{
    /// <summary>The seed autoencoder: 784-256-128-20-128-256-784, BCE-with-logits (mean), batch 512.</summary>
    public static int RunMlp(Options options) => Run("mlp", options);

    /// <summary>The convolutional VAE (z = 16), BCE summed per image + KL, averaged over the batch, batch 128.</summary>
    public static int RunConv(Options options) => Run("conv", options);

    private static int Run(string task, Options options)
    {
        int threads = options.Int("threads", Environment.ProcessorCount);
        int epochs = options.Int("epochs", 2);
        int maxSteps = options.Int("steps", int.MaxValue);
        bool reuse = options.Text("reuse", "1") != "0";
        Parallelism.MaxDegree = threads;
        string dir = options.Text("data", "");
        var resolution = NamedDatasets.Resolve("fashion-mnist", new DataOptions { DataDir = dir.Length == 0 ? null : dir });
        var (pixels, count, height, width) = IdxReader.ReadImages(resolution.TrainImages
            ?? throw new ArgumentException("fashion-mnist: no training images found"));
        int features = height * width;

        var rng = new Rng(0);
        ITask model = task == "mlp" ? new Mlp(rng) : new ConvVae(rng, height, width);
        var opt = new Adam(model.Parameters, lr: 1e-3f);
        int batch = task == "mlp" ? 512 : 128;
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;

        double best = double.MaxValue, loss = double.NaN;
        int gc0 = 0, gc1 = 0, gc2 = 0;
        double pauseMs = 0, allocMb = 0, cpuSeconds = 0;
        for (int e = 0; e < epochs; e++)
        {
            int c0 = GC.CollectionCount(0), c1 = GC.CollectionCount(1), c2 = GC.CollectionCount(2);
            var pause0 = GC.GetTotalPauseDuration();
            long alloc0 = GC.GetTotalAllocatedBytes();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            Shuffle(order, rng);
            double total = 0;
            int steps = 0;
            for (int start = 0; start < count && steps < maxSteps; start += batch)
            {
                int b = Math.Min(batch, count - start);
                var data = new float[b * features];
                for (int i = 0; i < b; i++)
                    pixels.AsSpan(order[start + i] * features, features).CopyTo(data.AsSpan(i * features, features));
                var x = new Tensor(data, b, features);
                using (reuse ? Tensor.Step() : null)
                {
                    var l = model.Loss(x, rng);
                    opt.ZeroGrad();
                    l.Backward();
                    opt.Step();
                    total += l.Item();
                }
                steps++;
            }
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            loss = total / steps;
            if (seconds < best)
            {
                best = seconds;
                gc0 = GC.CollectionCount(0) - c0; gc1 = GC.CollectionCount(1) - c1; gc2 = GC.CollectionCount(2) - c2;
                pauseMs = (GC.GetTotalPauseDuration() - pause0).TotalMilliseconds;
                allocMb = (GC.GetTotalAllocatedBytes() - alloc0) / (1024.0 * 1024.0 * steps);
                cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LATENT {task} threads={threads} seconds={best:F3} rss_mb={PeakRssMb():F1} loss={loss:F5} gc0={gc0} gc1={gc1} gc2={gc2} gc_pause_ms={pauseMs:F0} alloc_mb_per_step={allocMb:F1} cpu_s={cpuSeconds:F3} reuse={(reuse ? 1 : 0)}"));
        return 0;
    }

    private static void Shuffle(int[] order, Rng rng)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>Peak resident set (VmHWM in /proc/self/status), in MiB; NaN where the file is missing.</summary>
    private static double PeakRssMb()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return double.NaN;
        foreach (var line in File.ReadLines(path))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    private interface ITask
    {
        IEnumerable<Tensor> Parameters { get; }

        Tensor Loss(Tensor x, Rng rng);
    }

    private sealed class Mlp(Rng rng) : ITask
    {
        private readonly Sequential _net = new(
            new Linear(784, 256, rng), Activation.Relu(), new Linear(256, 128, rng), Activation.Relu(), new Linear(128, 20, rng),
            new Linear(20, 128, rng), Activation.Relu(), new Linear(128, 256, rng), Activation.Relu(), new Linear(256, 784, rng));

        public IEnumerable<Tensor> Parameters => _net.Parameters();

        public Tensor Loss(Tensor x, Rng rng) => NN.Losses.Loss.BceWithLogits(_net.Forward(x), x);
    }

    private sealed class ConvVae : ITask
    {
        private const int Z = 16;
        private readonly Sequential _encoder, _decoder;
        private readonly int _height, _width;

        public ConvVae(Rng rng, int height, int width)
        {
            _height = height; _width = width;
            _encoder = new Sequential(
                new Conv2d(1, 32, 4, rng, stride: 2, padding: 1), Activation.Relu(),
                new Conv2d(32, 64, 4, rng, stride: 2, padding: 1), Activation.Relu(), new Flatten(),
                new Linear(3136, 2 * Z, rng));
            _decoder = new Sequential(
                new Linear(Z, 3136, rng), Activation.Relu(), new Unflatten(1, [64, 7, 7]),
                new ConvTranspose2d(64, 32, 4, rng, stride: 2, padding: 1), Activation.Relu(),
                new ConvTranspose2d(32, 1, 4, rng, stride: 2, padding: 1));
        }

        public IEnumerable<Tensor> Parameters => _encoder.Parameters().Concat(_decoder.Parameters());

        public Tensor Loss(Tensor x, Rng rng)
        {
            int b = x.Shape[0];
            var images = x.Reshape(b, 1, _height, _width);
            var h = _encoder.Forward(images);
            var mu = h.Narrow(1, 0, Z);
            var logVar = h.Narrow(1, Z, Z);
            var z = mu + (logVar * 0.5f).Exp() * rng.Normal([b, Z]);
            var logits = _decoder.Forward(z);
            var reconstruction = NN.Losses.Loss.BceWithLogits(logits, images, Reduction.Sum);
            var kl = NN.Losses.Loss.KlNormal(mu, logVar, Reduction.Sum);
            return (reconstruction + kl) * (1f / b);
        }
    }
}
