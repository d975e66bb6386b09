using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Generated;
using Latent.Models;
using Latent.Models.Metrics;
using Latent.Models.Training;

namespace Latent.Quality.Sections;

/// <summary>
/// β-VAE disentanglement on the built-in sprites with all five ground-truth factors (shape, scale, orientation, x, y;
/// <see cref="Sprites"/>): Higgins et al. 2017 claim a larger β gives more disentangled codes. The same network is
/// trained at β = 1 and β = 4 from several seeds and scored by MIG (Chen et al. 2018; <see cref="Disentanglement.Mig(IAutoencoder, Dataset, int, int)"/>)
/// on held-out sprites; optionally also the capacity objective (Burgess et al. 2018). RESULT keys bvae_mig_beta1 and
/// bvae_mig_beta4 (mean over seeds), bvae_mig_capacity when run. Settings (--set bvae.KEY=…): train (quick 1,000, full
/// 10,000 sprites), eval (quick 1,000, full 5,000), size (32), epochs (quick 2, full 20), arch (1024-512-256-10),
/// seeds (quick 1, full 1,2,3), lr (1e-3), batch (64), betas (the fixed-β variants, "1,4"; RESULT key bvae_mig_betaB
/// each), capacity (0 = skip; else γ,C_max e.g. "1000,25").
/// </summary>
internal static class BvaeSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        int nTrain = o.GetInt("bvae.train", 1000, 10000), nEval = o.GetInt("bvae.eval", 1000, 5000);
        int size = o.GetInt("bvae.size", 32, 32), epochs = o.GetInt("bvae.epochs", 2, 20), batch = o.GetInt("bvae.batch", 64, 64);
        float lr = o.GetFloat("bvae.lr", 1e-3f, 1e-3f);
        string arch = o.Get("bvae.arch", $"{size * size}-512-256-10", $"{size * size}-512-256-10");
        var seeds = o.Get("bvae.seeds", "1", "1,2,3").Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string capacity = o.Get("bvae.capacity", "0", "0");

        var train = Sprites.Generate(nTrain, seed: 1, size: size);
        var eval = Sprites.Generate(nEval, seed: 2, size: size);
        BenchContext.Log($"\n== beta-VAE disentanglement on sprites {size}x{size} (factors {string.Join("/", Sprites.FactorNames)}): " +
            $"{nTrain} train / {nEval} held-out, arch {arch}, {epochs} epochs, Adam {lr.ToString(CultureInfo.InvariantCulture)}, batch {batch}, seeds {string.Join(",", seeds)}");

        var variants = o.Get("bvae.betas", "1,4", "1,4").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(b => ($"beta{b}", $"beta={b}", $"arch={arch},beta={b}")).ToList();
        if (capacity != "0")
        {
            var gc = capacity.Split(',');
            variants.Add(("capacity", $"capacity gamma={gc[0]} C_max={gc[1]}", $"arch={arch},objective=capacity,gamma={gc[0]},capacity={gc[1]}"));
        }

        var table = new TextTable(["variant", "seed", "MIG", .. Sprites.FactorNames.Select(f => "gap " + f), "recon", "KL", "train s"]);
        var summary = new TextTable("variant", "MIG mean", "MIG sd", "min..max", "recon mean", "KL mean");
        foreach (var (key, label, settings) in variants)
        {
            var migs = new List<double>();
            var recons = new List<double>();
            var kls = new List<double>();
            foreach (var seed in seeds)
            {
                var model = QualityTraining.Create("beta-vae", settings, train.SampleShape, seed);
                var clock = Stopwatch.StartNew();
                Trainer.Fit(model, train, null, new TrainingOptions { Epochs = epochs, BatchSize = batch, LearningRate = lr, Seed = seed, CheckpointEvery = 0 },
                    services: QualityTraining.Services);
                double seconds = clock.Elapsed.TotalSeconds;
                var gaps = FactorGaps(model, eval);
                double mig = gaps.Where(double.IsFinite).Average();
                double check = Disentanglement.Mig(model, eval);
                if (Math.Abs(check - mig) > 1e-9) throw new InvalidOperationException($"bvae: per-factor gaps average {mig} but Mig gives {check}");
                var terms = Evaluation.AverageLossTerms(model, eval, 500, new Rng(seed + 7));
                double recon = terms.First(t => t.Key == "reconstruction").Value, kl = terms.First(t => t.Key == "kl").Value;
                migs.Add(mig);
                recons.Add(recon);
                kls.Add(kl);
                table.Add([label, seed.ToString(CultureInfo.InvariantCulture), F(mig, "F3"), .. gaps.Select(g => F(g, "F3")), F(recon, "F1"), F(kl, "F1"), F(seconds, "F0")]);
                BenchContext.Log(FormattableString.Invariant($"  {label} seed {seed}: MIG {mig:F3}, recon {recon:F1}, KL {kl:F1} ({seconds:F0} s)"));
            }
            double mean = migs.Average();
            double sd = migs.Count > 1 ? Math.Sqrt(migs.Sum(m => (m - mean) * (m - mean)) / (migs.Count - 1)) : 0;
            summary.Add(label, F(mean, "F3"), F(sd, "F3"), $"{F(migs.Min(), "F3")}..{F(migs.Max(), "F3")}", F(recons.Average(), "F1"), F(kls.Average(), "F1"));
            ctx.Result($"bvae_mig_{key}", mean, new Measure("MIG", $"beta-VAE {label}: MIG on held-out sprites, mean over seeds {string.Join(",", seeds)}",
                TargetText: key == "beta4" ? "above β = 1" : null));
            ctx.Result($"bvae_mig_{key}_sd", sd, new Measure("MIG", $"beta-VAE {label}: sample sd of MIG over seeds"));
        }
        ctx.Print(table, "per-seed", "beta-VAE: MIG on held-out sprites per seed (gap f = normalised MI of the best code dimension minus the second best, for factor f; MIG = their mean)");
        ctx.Print(summary, "over-seeds", "beta-VAE: MIG over seeds (sd = sample standard deviation; recon and KL in nats per image on the held-out sprites)");
    }

    /// <summary>Per factor: I(z_j1; v)/H(v) − I(z_j2; v)/H(v) for the two most informative code dimensions (NaN for a constant factor).</summary>
    internal static double[] FactorGaps(IAutoencoder model, Dataset data)
    {
        int z = model.CodeSize;
        var codes = new float[(long)data.Count * z];
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < data.Count; start += 256)
            {
                int n = Math.Min(256, data.Count - start);
                model.Encode(data.Batch(Enumerable.Range(start, n).ToArray())).Span.CopyTo(codes.AsSpan(start * z, n * z));
            }
        }
        var factors = data.Factors!.Select(f => (int)f).ToArray();
        var nmi = Disentanglement.NormalisedMutualInformation(codes, z, factors, data.FactorSizes!);
        var gaps = new double[data.FactorSizes!.Length];
        for (int f = 0; f < gaps.Length; f++)
        {
            var column = Enumerable.Range(0, z).Select(j => nmi[j, f]).OrderDescending().ToArray();
            gaps[f] = double.IsNaN(column[0]) ? double.NaN : column[0] - (z > 1 ? column[1] : 0);
        }
        return gaps;
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
