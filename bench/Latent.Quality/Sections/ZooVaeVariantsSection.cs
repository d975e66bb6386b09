using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Distributions;
using Latent.Models.Metrics;
using Latent.Models.Training;
using Latent.Models.Vae;

namespace Latent.Quality.Sections;

/// <summary>
/// The VAE variants against the plain VAE at equal network, data and epochs, on binarised Fashion-MNIST (pixels
/// thresholded at 0.5): test NLL by importance sampling (<see cref="Likelihood.ImportanceSampledNll"/>, K samples from
/// each model's own posterior and prior), test reconstruction cross-entropy at the posterior mean, and the MMD² (IMQ
/// kernel, C = 2Z) between the posterior means of held-out images and N(0, I) samples, a proxy for how well samples from
/// the prior cover the data. Keys: iwae_k5_nll_gain, iwae_k50_nll_gain (VAE NLL − IWAE NLL, nats, &gt; 0 is better),
/// vamp_nll_gain, iaf_nll_gain, planar_nll_gain; wae_recon_gain and infovae_recon_gain (VAE − variant reconstruction
/// cross-entropy); *_prior_mmd per model.
/// Settings (--set zoo.KEY=…): train (8000; quick 500), test (2000; quick 200), nll_test (1000; quick 100), k (1000;
/// quick 20, importance samples for the NLL), epochs (10; quick 1), arch (784-200-20), seed (1), models (all), infovae (the
/// InfoVAE's settings, "alpha=1,lambda=100").
/// </summary>
internal static class ZooVaeVariantsSection
{
    private static readonly (string Key, string Model, string Settings)[] Variants =
    [
        ("vae", "vae", ""),
        ("iwae_k5", "iwae", "samples=5"),
        ("iwae_k50", "iwae", "samples=50"),
        ("vamp", "vamp-vae", "pseudo_inputs=100"),
        ("iaf", "iaf-vae", "flows=2,flow_hidden=128"),
        ("planar", "planar-vae", "flows=10"),
        ("wae", "wae-mmd", "lambda=10,kernel=imq"),
        ("infovae", "info-vae", "alpha=1,lambda=100"),
    ];

    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        int nTrain = o.GetInt("zoo.train", 500, 8000);
        int nTest = o.GetInt("zoo.test", 200, 2000);
        int nNll = o.GetInt("zoo.nll_test", 100, 1000);
        int k = o.GetInt("zoo.k", 20, 1000);
        int epochs = o.GetInt("zoo.epochs", 1, 10);
        string arch = o.Get("zoo.arch", "784-200-20", "784-200-20");
        ulong seed = ulong.Parse(o.Get("zoo.seed", "1", "1"), CultureInfo.InvariantCulture);
        var wanted = o.Get("zoo.models", "all", "all").Split(',');
        string infoVae = o.Get("zoo.infovae", "alpha=1,lambda=100", "alpha=1,lambda=100");

        var data = new DataOptions { DataDir = o.DataDir };
        var train = Binarise(NamedDatasets.Load("fashion-mnist", "train", data), nTrain);
        var test = Binarise(NamedDatasets.Load("fashion-mnist", "test", data), nTest);
        var nllSet = test.Subset(Enumerable.Range(0, Math.Min(nNll, test.Count)).ToArray());
        int z = new VaeOptions { Architecture = arch }.LatentSize;
        BenchContext.Log($"\n== VAE variants (binarised Fashion-MNIST train {train.Count}, test {test.Count}, NLL on {nllSet.Count} with K={k}, {arch}, {epochs} epochs, seed {seed})");

        var table = new TextTable("model", "settings", "test -ELBO", $"IS-NLL K={k}", "recon BCE", "MMD² to N(0,I)", "train s");
        var nll = new Dictionary<string, double>();
        var recon = new Dictionary<string, double>();
        foreach (var (key, name, variantSettings) in Variants)
        {
            string settings = key == "infovae" ? infoVae : variantSettings;
            if (!wanted.Contains("all") && !wanted.Contains(key)) continue;
            var model = QualityTraining.Create(name, $"arch={arch},output=bernoulli,{settings}", train.SampleShape, seed);
            var training = new TrainingOptions { Epochs = epochs, BatchSize = 100, LearningRate = 1e-3f, Seed = seed, CheckpointEvery = 0 };
            double seconds = QualityTraining.Fit(model, train, training, [], null, logEpochs: false);
            model.Eval();
            double negElbo = Evaluation.AverageLossTerms(model, test, 500, new Rng(seed + 7)).FirstOrDefault(t => t.Key == "neg_elbo", new("neg_elbo", double.NaN)).Value; // WAE has no ELBO
            nll[key] = Likelihood.ImportanceSampledNll((ILikelihoodModel)model, nllSet, k, new Rng(seed + 9));
            recon[key] = Evaluation.Reconstruction(model, test).Bce * test.SampleSize; // per image, summed over pixels
            double mmd;
            using (Tensor.NoGrad())
            {
                var codes = model.Encode(test.Batch(Enumerable.Range(0, Math.Min(1000, test.Count)).ToArray()));
                mmd = MaximumMeanDiscrepancy.Squared(codes, new Rng(seed + 13).Normal(codes.Shape), MmdKernel.InverseMultiquadratic(2.0 * z)).Item();
            }
            BenchContext.Log(FormattableString.Invariant($"  {key}: -ELBO {negElbo:F2}, NLL {nll[key]:F2}, BCE {recon[key]:F2}, MMD² {mmd:F4} ({seconds:F0} s)"));
            table.Add(key, settings == "" ? "-" : settings, F(negElbo), F(nll[key]), F(recon[key]), mmd.ToString("F4", CultureInfo.InvariantCulture),
                seconds.ToString("F0", CultureInfo.InvariantCulture));
            ctx.Result($"{key}_prior_mmd", mmd, new Measure("MMD²", $"{key}: MMD² (IMQ) between test posterior means and N(0, I)"));
            ctx.Result($"{key}_test_nll", nll[key], new Measure("nats/image", $"{key}: test NLL, importance sampling with K={k}"));
        }
        ctx.Print(table, "variants", $"VAE variants on binarised Fashion-MNIST ({train.Count} train, {epochs} epochs, {arch}); NLL on {nllSet.Count} test images");

        void Gain(string resultKey, string key, string what, bool headline = false)
        {
            if (!nll.ContainsKey("vae") || !nll.ContainsKey(key)) return;
            ctx.Result(resultKey, nll["vae"] - nll[key], new Measure("nats", $"VAE test NLL − {what} test NLL (K={k}), same network and epochs", 0, HigherIsBetter: true, Headline: headline));
        }
        Gain("iwae_k5_nll_gain", "iwae_k5", "IWAE (K=5)");
        Gain("iwae_k50_nll_gain", "iwae_k50", "IWAE (K=50)", headline: true);
        Gain("vamp_nll_gain", "vamp", "VampPrior (100 pseudo-inputs)", headline: true);
        Gain("iaf_nll_gain", "iaf", "IAF (2 steps)", headline: true);
        Gain("planar_nll_gain", "planar", "planar flows (10)");
        foreach (var (key, what) in new[] { ("wae", "WAE-MMD"), ("infovae", "InfoVAE") })
            if (recon.ContainsKey("vae") && recon.ContainsKey(key))
                ctx.Result($"{key}_recon_gain", recon["vae"] - recon[key],
                    new Measure("nats/image", $"VAE − {what} test reconstruction cross-entropy at the posterior mean (> 0: sharper)", 0, HigherIsBetter: true));
    }

    // Pixels > 0.5 become 1, the rest 0 (a fixed binarisation, so every model sees the same data).
    private static Dataset Binarise(Dataset d, int n)
    {
        n = Math.Min(n, d.Count);
        var x = d.Batch(Enumerable.Range(0, n).ToArray()).ToArray();
        for (int i = 0; i < x.Length; i++) x[i] = x[i] > 0.5f ? 1f : 0f;
        return new Dataset(d.Name + $"-binarised[:{n}]", x, d.SampleShape);
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
