using System.Globalization;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models.SuperResolution;
using Latent.Models.Training;
using Latent.Viz.Report;

namespace Latent.Quality.Sections;

/// <summary>
/// Super-resolution on Fashion-MNIST: an sr-ae trained on the 60,000 training images at ×4 (7×7 → 28×28) and ×2
/// (14×14 → 28×28), scored on the test set (PSNR and SSIM against the originals, the input being the f×f box average)
/// beside nearest, bilinear and bicubic upscaling of the same inputs. Settings: sr.factors (4,2), sr.epochs,
/// sr.settings (the model's, without the factor), sr.train (training images; 0 = all), sr.images (test images scored; 0 = all). Adds
/// sr{f}x_{nearest|bilinear|bicubic|model}_{psnr|ssim} and the headline gains sr4x_psnr_gain_db and
/// sr2x_psnr_gain_db (model minus bicubic PSNR; target ≥ 2 dB at ×4). Writes sr_fm_{f}x.png: rows low resolution
/// (nearest-enlarged), bicubic, model, original.
/// </summary>
internal static class SrSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var data = new DataOptions { DataDir = o.DataDir };
        var train = NamedDatasets.Load("fashion-mnist", "train", data);
        var test = NamedDatasets.Load("fashion-mnist", "test", data);
        int trainCount = o.GetInt("sr.train", 2000, 0);
        if (trainCount > 0 && trainCount < train.Count) train = train.Subset(Enumerable.Range(0, trainCount).ToArray(), train.Name + $"[:{trainCount}]");
        int images = o.GetInt("sr.images", 500, 0);
        if (images > 0 && images < test.Count) test = test.Subset(Enumerable.Range(0, images).ToArray(), test.Name + $"[:{images}]");
        int epochs = o.GetInt("sr.epochs", 1, 2);
        string settings = o.Get("sr.settings", "channels=32,layers=3", "channels=32,layers=3");
        var factors = o.Get("sr.factors", "4,2", "4,2").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => int.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var table = new TextTable("factor", "method", "PSNR dB", "SSIM", "PSNR − bicubic dB");
        foreach (int f in factors)
        {
            var training = new TrainingOptions { Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, Schedule = "constant", Seed = 1, CheckpointEvery = 0 };
            var model = (SuperResolutionAutoencoder)QualityTraining.Create("sr-ae", $"factor={f},{settings}", train.SampleShape, training.Seed);
            BenchContext.Log($"\n== sr: fashion-mnist sr-ae factor={f},{settings}, {epochs} epochs on {train.Count} images");
            double seconds = QualityTraining.Fit(model, train, training, [], null);
            var scores = SuperResolutionEvaluation.Evaluate(model, test);
            string what = $"Fashion-MNIST test ({scores.Count} images), ×{f} ({28 / f}×{28 / f} box average → 28×28)";
            foreach (var method in new[] { "nearest", "bilinear" })
            {
                var (psnr, ssim) = SuperResolutionEvaluation.EvaluateBaseline(test, f, method);
                ctx.Result($"sr{f}x_{method}_psnr", psnr, new Measure("dB", $"{what}: {method} PSNR"));
                ctx.Result($"sr{f}x_{method}_ssim", ssim, new Measure("", $"{what}: {method} SSIM"));
                table.Add($"×{f}", method, F(psnr), F4(ssim), F(psnr - scores.BicubicPsnr));
            }
            ctx.Result($"sr{f}x_bicubic_psnr", scores.BicubicPsnr, new Measure("dB", $"{what}: bicubic (a = −0.5) PSNR"));
            ctx.Result($"sr{f}x_bicubic_ssim", scores.BicubicSsim, new Measure("", $"{what}: bicubic SSIM"));
            ctx.Result($"sr{f}x_model_psnr", scores.ModelPsnr, new Measure("dB", $"{what}: sr-ae PSNR ({epochs} epochs, {seconds:F0} s training)"));
            ctx.Result($"sr{f}x_model_ssim", scores.ModelSsim, new Measure("", $"{what}: sr-ae SSIM"));
            ctx.Result($"sr{f}x_psnr_gain_db", scores.PsnrGain, f == 4
                ? new Measure("dB", $"{what}: sr-ae minus bicubic PSNR", 2, HigherIsBetter: true, Headline: true)
                : new Measure("dB", $"{what}: sr-ae minus bicubic PSNR", Headline: true));
            table.Add($"×{f}", "bicubic", F(scores.BicubicPsnr), F4(scores.BicubicSsim), F(0));
            table.Add($"×{f}", $"sr-ae ({epochs} epochs, {seconds:F0} s)", F(scores.ModelPsnr), F4(scores.ModelSsim), F(scores.PsnrGain));
            BenchContext.Log($"  ×{f}: model {scores.ModelPsnr:F2} dB / {scores.ModelSsim:F4}, bicubic {scores.BicubicPsnr:F2} dB / {scores.BicubicSsim:F4}");
            if (o.ImageDir is not null && !o.Quick)
            {
                string path = Path.Combine(o.ImageDir, $"sr_fm_{f}x.png");
                SuperResolutionPictures.Comparison(model, test, Enumerable.Range(0, 10).ToArray()).SavePng(path);
                BenchContext.Log($"  wrote {path}");
            }
        }
        ctx.Print(table, "sr", "Super-resolution on Fashion-MNIST test images: PSNR and SSIM against the originals");
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private static string F4(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
