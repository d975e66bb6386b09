using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.NN;
using Latent.NN.Inference;
using Latent.NN.Layers;

namespace Latent.Bench;

/// <summary>
/// <c>decode --threads T [--calls N] [--plan 0|1]</c>: the conv VAE's decoder (Linear 16→3136, ReLU, Unflatten to
/// 64×7×7, ConvTranspose 64→32 4x4/2, ReLU, ConvTranspose 32→1 4x4/2) on seeded weights, over 10,000 seeded codes at
/// batch 256 (best of 3 passes after a warm-up pass, images/s) and one code at a time (N calls, default 1,000, after 100
/// warm-up calls; p50/p99 latency). By default through an <see cref="InferencePlan"/>; <c>--plan 0</c> calls the
/// layers' Forward in <see cref="Tensor.Scratch"/> scopes. Prints <c>LATENT decode threads= plan= images_per_s= p50_us=
/// p99_us= checksum=</c>. Latent only: bench/run.sh compares the encoder with ONNX Runtime.
/// </summary>
public static class DecodeBench
{
    /// <summary>Runs the measurement; returns 0.</summary>
    public static int Run(Options options)
    {
        int threads = options.Int("threads", Environment.ProcessorCount);
        int calls = options.Int("calls", 1000);
        bool usePlan = options.Text("plan", "1") != "0";
        Parallelism.MaxDegree = threads;
        var decoder = new Sequential(new Linear(16, 3136, new Rng(3)), Activation.Relu(), new Unflatten(1, [64, 7, 7]),
            new ConvTranspose2d(64, 32, 4, new Rng(4), stride: 2, padding: 1), Activation.Relu(),
            new ConvTranspose2d(32, 1, 4, new Rng(5), stride: 2, padding: 1));
        const int count = 10_000, batch = 256, z = 16, pixels = 784;
        var codes = new float[count * z];
        var rng = new Rng(6);
        for (int i = 0; i < codes.Length; i++) codes[i] = rng.NextNormal();
        var plan = usePlan ? InferencePlan.Compile(decoder, z) : null;
        using var noGrad = Tensor.NoGrad();
        var output = new float[batch * pixels];
        double checksum = 0;
        double Pass(bool sum)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int start = 0; start < count; start += batch)
            {
                int b = Math.Min(batch, count - start);
                ReadOnlySpan<float> x;
                if (plan is not null)
                {
                    plan.Run(codes.AsSpan(start * z, b * z), output.AsSpan(0, b * pixels));
                    x = output.AsSpan(0, b * pixels);
                }
                else
                {
                    using var scratch = Tensor.Scratch();
                    x = decoder.Forward(Tensor.FromArray(codes.AsSpan(start * z, b * z), b, z)).Span;
                }
                if (sum) foreach (float v in x) checksum += v;
            }
            return Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Pass(sum: true);
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++) best = Math.Min(best, Pass(sum: false));
        var latencies = new double[calls];
        for (int i = -100; i < calls; i++)
        {
            var one = codes.AsSpan((i + 100) % count * z, z);
            long t0 = Stopwatch.GetTimestamp();
            if (plan is not null) plan.Run(one, output.AsSpan(0, pixels));
            else
                using (Tensor.Scratch())
                    _ = decoder.Forward(Tensor.FromArray(one, 1, z)).Span[0];
            if (i >= 0) latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LATENT decode threads={threads} plan={(usePlan ? 1 : 0)} images_per_s={count / best:F0} p50_us={latencies[calls / 2]:F1} p99_us={latencies[calls * 99 / 100]:F1} checksum={checksum:F3}"));
        return 0;
    }
}
