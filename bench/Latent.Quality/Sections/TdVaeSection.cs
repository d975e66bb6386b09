using System.Globalization;
using Latent.Evidence;

namespace Latent.Quality.Sections;

/// <summary>
/// TD-VAE jumpy prediction on 16×16 moving sprites (issue 5), through bench/quality/Shared/TdVaeExperiment.cs (the
/// code of bench/quality/Zoo2bEvidence): after 8 observed frames, predict k = 1..8 frames ahead with the means and
/// compare the sprite-centroid error with copying the last frame. tdvae_gain_over_copy = mean over k of copy error /
/// model error (target &gt; 1). Settings (--set tdvae.KEY=…): epochs (quick 2, full 60), lr (2e-3).
/// </summary>
internal static class TdVaeSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        int epochs = o.GetInt("tdvae.epochs", 2, 60);
        float lr = o.GetFloat("tdvae.lr", 2e-3f, 2e-3f);
        BenchContext.Log($"\n== TD-VAE on moving sprites (1,024 train / 256 test sequences of 16 frames, 16×16): {epochs} epochs, lr {lr.ToString(CultureInfo.InvariantCulture)}");
        var run = TdVaeExperiment.Run(epochs, lr, e => BenchContext.Log($"  epoch {e.Epoch}/{epochs} loss {e.Train[0].Value:F3} ({e.Seconds:F0} s)"));
        var r = run.Jumpy;
        var table = new TextTable("k", "model position error (px)", "copy position error (px)", "model pixel MSE", "copy pixel MSE");
        for (int i = 0; i < r.Ahead.Length; i++)
            table.Add(r.Ahead[i].ToString(CultureInfo.InvariantCulture), F(r.ModelPositionError[i], "F2"), F(r.CopyPositionError[i], "F2"), F(r.ModelPixelMse[i], "F4"), F(r.CopyPixelMse[i], "F4"));
        table.Print($"TD-VAE jumpy prediction after {r.Observed} observed frames ({r.Sequences} test sequences, means): gain over copy {r.GainOverCopy:F2} (position, target > 1), pixel MSE gain {r.PixelGainOverCopy:F2}; trained {run.TrainSeconds:F0} s");
        ctx.Result("tdvae_gain_over_copy", r.GainOverCopy);
        ctx.Result("tdvae_pixel_gain_over_copy", r.PixelGainOverCopy);
        ctx.Result("tdvae_train_s", run.TrainSeconds);
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
