using System.Globalization;
using Latent.Core;
using Latent.NN;
using Latent.NN.Inference;
using Latent.NN.Layers;

namespace Latent.Bench;

/// <summary>
/// <c>decode --threads T [--calls N] [--plan 0|1]</c>: the conv VAE's decoder (Linear 16→3136, ReLU, Unflatten to
/// 64×7×7, ConvTranspose 64→32 4x4/2, ReLU, ConvTranspose 32→1 4x4/2) on seeded weights, over 10,000 seeded codes at
/// batch 256 and one code at a time (N calls, default 1,000; <see cref="InferenceTiming"/>). By default through an
/// <see cref="InferencePlan"/>; <c>--plan 0</c> calls the layers' Forward. Prints <c>LATENT decode threads= plan=
/// images_per_s= p50_us= p99_us= checksum=</c>. Latent only: bench/run.sh compares the encoder with ONNX Runtime.
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
        const int count = 10_000, z = 16, pixels = 784;
        var codes = new float[count * z];
        var rng = new Rng(6);
        for (int i = 0; i < codes.Length; i++) codes[i] = rng.NextNormal();
        var plan = usePlan ? InferencePlan.Compile(decoder, z) : null;
        var (imagesPerSecond, p50, p99, checksum) = InferenceTiming.Measure(decoder, plan, codes, [z], pixels, calls);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LATENT decode threads={threads} plan={(usePlan ? 1 : 0)} images_per_s={imagesPerSecond:F0} p50_us={p50:F1} p99_us={p99:F1} checksum={checksum:F3}"));
        return 0;
    }
}
