using System.Globalization;
using Latent.Core;
using Latent.Quality.Experiments;
using Latent.Models.TdVae;
using Latent.Viz.Report;

namespace Latent.Quality.Sections;

/// <summary>
/// TD-VAE jumpy prediction on 16×16 moving sprites, through <see cref="TdVaeExperiment"/>: after 8 observed frames, predict k = 1..8 frames ahead with the means and
/// compare the sprite-centroid error with copying the last frame. tdvae_gain_over_copy = mean over k of copy error /
/// model error, tdvae_min_gain_over_copy = the smallest per-k gain (target &gt; 1 for both: better than copying at every k).
/// Settings (--set tdvae.KEY=…): epochs (quick 2, full 200), lr (2e-3), seed (1: the model's and the training's; the
/// data seeds stay fixed). Full runs with --img write
/// tdvae_rollout.png (true sequences above the observed frames followed by the predicted ones).
/// </summary>
internal static class TdVaeSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        int epochs = o.GetInt("tdvae.epochs", 2, 200);
        float lr = o.GetFloat("tdvae.lr", 2e-3f, 2e-3f);
        ulong seed = (ulong)o.GetInt("tdvae.seed", 1, 1);
        var options = new TdVaeOptions();
        BenchContext.Log($"\n== TD-VAE on moving sprites (1,024 train / 256 test sequences of 16 frames, 16×16; {options.ToText()}): {epochs} epochs, lr {lr.ToString(CultureInfo.InvariantCulture)}");
        var run = TdVaeExperiment.Run(epochs, lr, e => BenchContext.Log($"  epoch {e.Epoch}/{epochs} loss {e.Train[0].Value:F3} ({e.Seconds:F0} s)"), options: options, seed: seed);
        var r = run.Jumpy;
        var table = new TextTable("k", "model position error (px)", "copy position error (px)", "gain", "model bright-part error (px)", "copy bright-part error (px)", "model pixel MSE", "copy pixel MSE");
        for (int i = 0; i < r.Ahead.Length; i++)
        {
            table.Add(r.Ahead[i].ToString(CultureInfo.InvariantCulture), F(r.ModelPositionError[i], "F2"), F(r.CopyPositionError[i], "F2"), F(r.GainPerK[i], "F2"),
                F(r.ModelPeakPositionError[i], "F2"), F(r.CopyPeakPositionError[i], "F2"), F(r.ModelPixelMse[i], "F4"), F(r.CopyPixelMse[i], "F4"));
        }
        ctx.Print(table, "per-k", $"TD-VAE jumpy prediction after {r.Observed} observed frames ({r.Sequences} test sequences, means): gain over copy {r.GainOverCopy:F2} (position, target > 1), " +
            $"smallest per-k gain {r.MinGainOverCopy:F2} (target > 1); bright-part centroid {r.PeakGainOverCopy:F2} / min {r.MinPeakGainOverCopy:F2}; pixel MSE gain {r.PixelGainOverCopy:F2}; trained {run.TrainSeconds:F0} s");
        var agreement = Enumerable.Range(1, 4).Select(k => TdVaeEvaluation.MotionAgreement(run.Model, run.Test, r.Observed, k)).ToArray();
        BenchContext.Log($"motion agreement (mean cosine of predicted vs true displacement) k=1..4: {string.Join(" ", agreement.Select(a => F(a, "F2")))}");
        ctx.Result("tdvae_gain_over_copy", r.GainOverCopy, new Measure("ratio", "TD-VAE jumpy prediction: mean over k = 1..8 of copy / model position error", 1, HigherIsBetter: true, Headline: true));
        ctx.Result("tdvae_min_gain_over_copy", r.MinGainOverCopy, new Measure("ratio", "TD-VAE jumpy prediction: smallest per-k gain over copying the last frame", 1, HigherIsBetter: true, Headline: true));
        ctx.Result("tdvae_pixel_gain_over_copy", r.PixelGainOverCopy, new Measure("ratio", "TD-VAE: mean gain over copy in pixel MSE"));
        ctx.Result("tdvae_motion_agreement_k1", agreement[0], new Measure("cosine", "TD-VAE: mean cosine of predicted vs true displacement at k = 1"));
        ctx.Result("tdvae_train_s", run.TrainSeconds, new Measure("s", "TD-VAE training time (wall)"));
        if (o.ImageDir is not null && !o.Quick) SaveRollout(run, Path.Combine(o.ImageDir, "tdvae_rollout.png"));
    }

    // Rows in pairs for 6 test sequences: the 16 true frames, then the 8 observed frames followed by the 8 predictions
    // k = 1..8 (means, one jump up to max_jump, chained beyond).
    private static void SaveRollout(TdVaeExperiment.Result run, string path)
    {
        var rows = new List<Tensor>();
        using var _ = Tensor.NoGrad();
        int observed = run.Jumpy.Observed, ahead = run.Jumpy.Ahead.Length;
        for (int i = 0; i < 6; i++)
        {
            var x = run.Test.Sequences.Batch([i]);                  // [1, T, 1, S, S]
            var seen = x.Narrow(1, 0, observed);
            var predicted = Enumerable.Range(1, ahead).Select(k => run.Model.PredictAhead(seen, k, new Rng(0), sample: false)).ToArray(); // each [1, 1, S, S]
            rows.Add(x.Reshape([x.Shape[1], .. x.Shape[2..]]));
            rows.Add(Tensor.Concat([seen.Reshape([observed, .. x.Shape[2..]]), .. predicted], 0));
        }
        ModelPictures.Rows(rows, run.Test.Frames, scale: 3).SavePng(path);
        BenchContext.Log($"wrote {path}");
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
