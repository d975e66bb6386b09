using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Denoising;
using Latent.Models.Sparse;
using Latent.Models.Metrics;
using Latent.Models.Training;

namespace Latent.Quality.Sections;

/// <summary>
/// The claims of the regularised autoencoders, scored by the library's <see cref="ClaimMetrics"/>: a denoising AE (784-256, masking
/// 25 %) restores corrupted test images (dae_denoise_gain = noisy SSE / restored SSE, &gt; 1); a sparse AE at its
/// defaults (ρ = 0.05, β = 18) drives the mean hidden activation to ρ (sparse_rho_hat, target 0.05 ± 0.01; also
/// sparse_units_within, the fraction of the 196 units whose own ρ̂_j is within ± 0.01, and sparse_test_sse); a
/// k-sparse AE (k = 25) keeps exactly k non-zeros per code (ksparse_nonzeros_max). The sparse AE is trained with the
/// schedule of <c>latent train --model sparse-ae --data fashion-mnist</c> at its defaults (all 60,000 training
/// images with 10 % held out for validation, 10 epochs, batch 64, Adam 1e-3), the others on the subset below.
/// Settings (--set regularised.KEY=…): train (quick 1,000, full 5,000), test (quick 500, full 1,000), epochs (quick 1,
/// full 5), sparse_train (quick 1,000, full 60,000), sparse_epochs (quick 1, full 10).
/// </summary>
internal static class RegularisedSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var data = new DataOptions { DataDir = o.DataDir };
        int nTrain = o.GetInt("regularised.train", 1000, 5000), nTest = o.GetInt("regularised.test", 500, 1000), epochs = o.GetInt("regularised.epochs", 1, 5);
        var train = NamedDatasets.Load("fashion-mnist", "train", data).Subset(Enumerable.Range(0, nTrain).ToArray());
        var test = NamedDatasets.Load("fashion-mnist", "test", data).Subset(Enumerable.Range(0, nTest).ToArray());
        BenchContext.Log($"\n== Regularised autoencoders on Fashion-MNIST: first {nTrain} train / {nTest} test images, {epochs} epochs");
        var table = new TextTable("model", "claim", "measured", "target", "train s");

        var (dae, s1) = Fit("dae", new() { ["arch"] = "784-256", ["noise"] = "masking:0.25" }, train, epochs);
        var d = ClaimMetrics.DenoisingGain(dae, test, Corruption.Parse("masking:0.25"), seed: 7);
        table.Add("dae 784-256, masking 25 %", "noisy SSE / restored SSE", $"{F(d.Gain)} ({F(d.NoisySse)} -> {F(d.RestoredSse)})", "> 1", F0(s1));
        ctx.Result("dae_denoise_gain", d.Gain, new Measure("ratio", "DAE denoising gain (noisy SSE / restored SSE)", 1, HigherIsBetter: true));

        int nSparse = o.GetInt("regularised.sparse_train", 1000, 60000), sparseEpochs = o.GetInt("regularised.sparse_epochs", 1, 10);
        var sparseTrain = NamedDatasets.Load("fashion-mnist", "train", data);
        if (nSparse < sparseTrain.Count) sparseTrain = sparseTrain.Subset(Enumerable.Range(0, nSparse).ToArray());
        var (sparse, s2) = Fit("sparse-ae", new(), sparseTrain, sparseEpochs, validationFraction: 0.1);
        var means = ClaimMetrics.MeanActivations(sparse, test);
        double rho = means.Average(), within = means.Count(m => Math.Abs(m - 0.05) <= 0.01) / (double)means.Length;
        double sse = Evaluation.Reconstruction(sparse, test).SsePerImage;
        var so = (SparseOptions)sparse.Options;
        table.Add(FormattableString.Invariant($"sparse-ae defaults (rho {so.Rho}, beta {so.Beta}, {so.Network.Architecture}), {nSparse} images (10 % held out) x {sparseEpochs} epochs"), "mean hidden activation (units within ±0.01)",
            FormattableString.Invariant($"{rho:F4} ({within:P0}; {means.Min():F3}..{means.Max():F3}), test SSE {sse:F2}"), "0.05 ± 0.01", F0(s2));
        ctx.Result("sparse_rho_hat", rho, new Measure("activation", "sparse AE mean hidden activation ρ̂", 0.05, Tolerance: 0.01));
        ctx.Result("sparse_units_within", within, new Measure("fraction", "sparse AE units whose own ρ̂ is within 0.05 ± 0.01"));
        ctx.Result("sparse_test_sse", sse, new Measure("SSE/image", "sparse AE test SSE per image"));

        var (ks, s3) = Fit("k-sparse-ae", new(), train, epochs);
        var nz = ClaimMetrics.NonZeroCounts(ks, test);
        table.Add("k-sparse-ae 784-1000, k 25", "non-zeros per code (min..max)", $"{nz.Min()}..{nz.Max()}", "25", F0(s3));
        ctx.Result("ksparse_nonzeros_max", nz.Max(), new Measure("count", "k-sparse AE largest number of non-zeros per code (k = 25)", 25, Tolerance: 0));
        ctx.Print(table, "claims", "Regularised autoencoders: claims on Fashion-MNIST test images");
    }

    private static (AutoencoderModel Model, double Seconds) Fit(string name, Dictionary<string, string> settings, Dataset train, int epochs, double validationFraction = 0)
    {
        var clock = Stopwatch.StartNew();
        var m = ModelRegistry.Create(name, settings, train.SampleShape, new Rng(1));
        Trainer.Fit(m, train, null, new TrainingOptions
        {
            Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, Seed = 1, CheckpointEvery = 0, ValidationFraction = validationFraction,
        });
        BenchContext.Log($"  {name} {string.Join(" ", settings.Select(kv => kv.Key + "=" + kv.Value))}: {clock.Elapsed.TotalSeconds:F0} s");
        return (m, clock.Elapsed.TotalSeconds);
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private static string F0(double v) => v.ToString("F0", CultureInfo.InvariantCulture);
}
