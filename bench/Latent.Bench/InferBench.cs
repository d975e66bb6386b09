using System.Globalization;
using Latent.Core;
using Latent.Core.IO;
using Latent.Data.Idx;
using Latent.Data.Named;
using Latent.NN;
using Latent.NN.Inference;
using Latent.NN.Layers;

namespace Latent.Bench;

/// <summary>
/// <c>infer --threads T --model DIR [--data DIR] [--calls N] [--plan 0|1] [--reuse 0|1]</c>: the conv autoencoder's encoder
/// (conv 1→32 4x4/2, ReLU, conv 32→64 4x4/2, ReLU, flatten, linear 3136→32) over the 10,000 Fashion-MNIST test images at
/// batch 256 (best of 3 passes after a warm-up pass, images/s) and on one image at a time (N calls, default 1,000,
/// after 100 warm-up calls; p50/p99 latency). The weights are DIR/encoder.safetensors, written from a seeded
/// PyTorch-default init when missing; bench/export_encoder_onnx.py turns the same file into DIR/encoder.onnx for
/// ONNX Runtime (bench/OrtBench), so both run the same network on the same weights. Prints
/// <c>LATENT infer threads= images_per_s= p50_us= p99_us= checksum=</c> (checksum: the sum of all batch-256 outputs,
/// to compare with the peer's). By default the encoder runs as an <see cref="InferencePlan"/> compiled once (weights
/// packed once, direct channels-last convolutions), as ORT runs a session; <c>--plan 0</c> calls the layers' Forward,
/// each batch in a <see cref="Tensor.Scratch"/> scope (<c>--reuse 0</c>: without).
/// </summary>
public static class InferBench
{
    /// <summary>Runs the measurement; returns 0.</summary>
    public static int Run(Options options)
    {
        int threads = options.Int("threads", Environment.ProcessorCount);
        int calls = options.Int("calls", 1000);
        bool reuse = options.Text("reuse", "1") != "0";
        bool usePlan = options.Text("plan", "1") != "0";
        string modelDir = options.Text("model", "");
        if (modelDir.Length == 0) throw new ArgumentException("--model DIR is required");
        Parallelism.MaxDegree = threads;
        string dir = options.Text("data", "");
        var resolution = NamedDatasets.Resolve("fashion-mnist", new DataOptions { DataDir = dir.Length == 0 ? null : dir });
        var (pixels, count, height, width) = IdxReader.ReadImages(resolution.TestImages);

        var conv1 = new Conv2d(1, 32, 4, new Rng(0), stride: 2, padding: 1);
        var conv2 = new Conv2d(32, 64, 4, new Rng(1), stride: 2, padding: 1);
        var linear = new Linear(3136, 32, new Rng(2));
        var named = new (string Name, Tensor Tensor)[]
        {
            ("conv1.weight", conv1.Weight), ("conv1.bias", conv1.Bias!), ("conv2.weight", conv2.Weight), ("conv2.bias", conv2.Bias!),
            ("fc.weight", linear.Weight), ("fc.bias", linear.Bias!),
        };
        string path = Path.Combine(modelDir, "encoder.safetensors");
        if (File.Exists(path))
        {
            var (tensors, _) = SafeTensors.Read(path);
            foreach (var (name, t) in named) t.CopyFrom(tensors[name]);
        }
        else
        {
            Directory.CreateDirectory(modelDir);
            SafeTensors.Write(path, named);
        }
        var encoder = new Sequential(conv1, Activation.Relu(), conv2, Activation.Relu(), new Flatten(), linear);
        var plan = usePlan ? InferencePlan.Compile(encoder, 1, height, width) : null;

        var (imagesPerSecond, p50, p99, checksum) = InferenceTiming.Measure(encoder, plan, pixels, [1, height, width], 32, calls, reuse);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LATENT infer threads={threads} plan={(usePlan ? 1 : 0)} images_per_s={imagesPerSecond:F0} p50_us={p50:F1} p99_us={p99:F1} checksum={checksum:F3}"));
        return 0;
    }
}
