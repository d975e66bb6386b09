using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Denoising;
using Latent.Models.Metrics;
using Latent.Models.Training;

namespace Latent.Quality.Sections;

/// <summary>
/// The cheap claims of the regularised autoencoders (bench/quality/zoo1a-evidence.md, same configurations as
/// bench/quality/Zoo1aEvidence, scored by the library's <see cref="ClaimMetrics"/>): a denoising AE (784-256, masking
/// 25 %) restores corrupted test images (dae_denoise_gain = noisy SSE / restored SSE, &gt; 1); a sparse AE (ρ = 0.05,
/// β = 3) drives the mean hidden activation towards ρ (sparse_rho_hat); a k-sparse AE (k = 25) keeps exactly k
/// non-zeros per code (ksparse_nonzeros_max). Settings (--set zoo1a.KEY=…): train (quick 1,000, full 5,000),
/// test (quick 500, full 1,000), epochs (quick 1, full 5).
/// </summary>
internal static class Zoo1aSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var data = new DataOptions { DataDir = o.DataDir };
        int nTrain = o.GetInt("zoo1a.train", 1000, 5000), nTest = o.GetInt("zoo1a.test", 500, 1000), epochs = o.GetInt("zoo1a.epochs", 1, 5);
        var train = NamedDatasets.Load("fashion-mnist", "train", data).Subset(Enumerable.Range(0, nTrain).ToArray());
        var test = NamedDatasets.Load("fashion-mnist", "test", data).Subset(Enumerable.Range(0, nTest).ToArray());
        BenchContext.Log($"\n== Regularised autoencoders on Fashion-MNIST: first {nTrain} train / {nTest} test images, {epochs} epochs");
        var table = new TextTable("model", "claim", "measured", "target", "train s");

        var (dae, s1) = Fit("dae", new() { ["arch"] = "784-256", ["noise"] = "masking:0.25" }, train, epochs);
        var d = ClaimMetrics.DenoisingGain(dae, test, Corruption.Parse("masking:0.25"), seed: 7);
        table.Add("dae 784-256, masking 25 %", "noisy SSE / restored SSE", $"{F(d.Gain)} ({F(d.NoisySse)} -> {F(d.RestoredSse)})", "> 1", F0(s1));
        ctx.Result("dae_denoise_gain", d.Gain);

        var (sparse, s2) = Fit("sparse-ae", new(), train, epochs);
        double rho = ClaimMetrics.MeanActivations(sparse, test).Average();
        table.Add("sparse-ae rho 0.05, beta 3", "mean hidden activation", rho.ToString("F4", CultureInfo.InvariantCulture), "0.05", F0(s2));
        ctx.Result("sparse_rho_hat", rho);

        var (ks, s3) = Fit("k-sparse-ae", new(), train, epochs);
        var nz = ClaimMetrics.NonZeroCounts(ks, test);
        table.Add("k-sparse-ae 784-1000, k 25", "non-zeros per code (min..max)", $"{nz.Min()}..{nz.Max()}", "25", F0(s3));
        ctx.Result("ksparse_nonzeros_max", nz.Max());
        table.Print("Regularised autoencoders: claims on Fashion-MNIST test images");
    }

    private static (AutoencoderModel Model, double Seconds) Fit(string name, Dictionary<string, string> settings, Dataset train, int epochs)
    {
        var clock = Stopwatch.StartNew();
        var m = ModelRegistry.Create(name, settings, train.SampleShape, new Rng(1));
        Trainer.Fit(m, train, null, new TrainingOptions { Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, Seed = 1, CheckpointEvery = 0 });
        BenchContext.Log($"  {name} {string.Join(" ", settings.Select(kv => kv.Key + "=" + kv.Value))}: {clock.Elapsed.TotalSeconds:F0} s");
        return (m, clock.Elapsed.TotalSeconds);
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private static string F0(double v) => v.ToString("F0", CultureInfo.InvariantCulture);
}
