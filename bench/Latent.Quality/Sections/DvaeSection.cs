using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models.Dvae;
using Latent.Models.Training;
using Latent.Viz.Images;

namespace Latent.Quality.Sections;

/// <summary>
/// The dVAE (Ramesh et al. 2021) on Fashion-MNIST: "reconstruction and ELBO reported as temperature falls;
/// hard-sampled reconstructions close to soft ones". τ is annealed by the model's cosine schedule from 1 to 1/16 over
/// the run; after every epoch the table gives τ, the training terms (relaxed samples), the test reconstruction and
/// −ELBO with hard straight-through samples (the discrete model), and the noise-free soft vs hard test MSE at the
/// current τ. RESULT keys dvae_hard_mse, dvae_soft_mse (per pixel, at the final τ), dvae_hard_soft_mse (between the
/// two reconstructions), dvae_test_neg_elbo_hard, dvae_codebook_usage. Picture docs/img/dvae-fashion.png: rows of
/// originals, soft and hard reconstructions. Settings (--set dvae.KEY=…): train (quick 1,000, full 20,000), test
/// (quick 500, full 2,000), epochs (quick 2, full 6), model (the dvae settings, default
/// "network=mlp,categories=64,latents=32,embedding=32,hidden=512-256"), lr (1e-3), batch (64).
/// </summary>
internal static class DvaeSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        int nTrain = o.GetInt("dvae.train", 1000, 20000), nTest = o.GetInt("dvae.test", 500, 2000);
        int epochs = o.GetInt("dvae.epochs", 2, 6), batch = o.GetInt("dvae.batch", 64, 64);
        float lr = o.GetFloat("dvae.lr", 1e-3f, 1e-3f);
        const string defaults = "network=mlp,categories=64,latents=32,embedding=32,hidden=512-256";
        string settings = o.Get("dvae.model", defaults, defaults);

        var data = new DataOptions { DataDir = o.DataDir };
        var train = NamedDatasets.Load("fashion-mnist", "train", data);
        var test = NamedDatasets.Load("fashion-mnist", "test", data);
        if (nTrain < train.Count) train = train.Subset(Enumerable.Range(0, nTrain).ToArray(), train.Name + $"[:{nTrain}]");
        if (nTest < test.Count) test = test.Subset(Enumerable.Range(0, nTest).ToArray(), test.Name + $"[:{nTest}]");
        var model = (Dvae)QualityTraining.Create("dvae", settings, train.SampleShape, seed: 1);
        var options = (DvaeOptions)model.Options;
        BenchContext.Log($"\n== dVAE on Fashion-MNIST: {train.Count} train / {test.Count} test, {epochs} epochs, Adam {lr.ToString(CultureInfo.InvariantCulture)}, batch {batch}; {options.ToText()}");

        var table = new TextTable("epoch", "tau (end)", "beta", "train recon", "train KL", "train -ELBO", "test recon (hard)", "test -ELBO (hard)", "soft MSE", "hard MSE", "hard-soft MSE", "train s");
        var clock = Stopwatch.StartNew();
        double excluded = 0;
        var progress = new EpochProgress(e =>
        {
            var pause = Stopwatch.StartNew();
            float tau = options.TemperatureAt((double)e.Epoch / epochs);
            var r = DvaeEvaluation.HardVersusSoft(model, test, temperature: tau);
            double trained = clock.Elapsed.TotalSeconds - excluded;
            table.Add(e.Epoch.ToString(CultureInfo.InvariantCulture), F(tau, "F4"), F(e.TrainValue("beta"), "F2"),
                F(e.TrainValue("reconstruction"), "F2"), F(e.TrainValue("kl"), "F2"), F(e.TrainValue("neg_elbo"), "F2"),
                F(e.ValidationValue("reconstruction"), "F2"), F(e.ValidationValue("neg_elbo"), "F2"),
                F(r.SoftMse, "F5"), F(r.HardMse, "F5"), F(r.HardSoftMse, "F6"), F(trained, "F0"));
            BenchContext.Log(FormattableString.Invariant(
                $"  epoch {e.Epoch}/{epochs} tau {tau:F4} train -ELBO {e.TrainValue("neg_elbo"):F2} test -ELBO (hard) {e.ValidationValue("neg_elbo"):F2} soft MSE {r.SoftMse:F5} hard MSE {r.HardMse:F5} ({trained:F0} s)"));
            excluded += pause.Elapsed.TotalSeconds;
        });
        var result = Trainer.Fit(model, train, test, new TrainingOptions { Epochs = epochs, BatchSize = batch, LearningRate = lr, Seed = 1, CheckpointEvery = 0 },
            progress, services: QualityTraining.Services);
        double seconds = clock.Elapsed.TotalSeconds - excluded;
        ctx.Print(table, "per-epoch", "dVAE on Fashion-MNIST per epoch (train terms with relaxed samples at the epoch's τ; test terms with hard samples; " +
            "soft/hard MSE per pixel of the noise-free reconstructions at the τ reached at the epoch's end)");

        var final = DvaeEvaluation.HardVersusSoft(model, test);
        var atOne = DvaeEvaluation.HardVersusSoft(model, test, temperature: 1f);
        var summary = new TextTable("code", "tau", "test MSE / pixel", "MSE to the hard reconstruction");
        summary.Add("hard one_hot(argmax l)", "-", F(final.HardMse, "F5"), "0");
        summary.Add("soft softmax(l/tau)", F(final.Temperature, "F4"), F(final.SoftMse, "F5"), F(final.HardSoftMse, "F6"));
        summary.Add("soft softmax(l/tau)", "1", F(atOne.SoftMse, "F5"), F(atOne.HardSoftMse, "F6"));
        ctx.Print(summary, "hard-soft", $"dVAE hard vs soft reconstructions on {final.Samples} test images after {seconds:F0} s of training; codebook usage {final.CodebookUsage:P0} of {model.Categories}");

        ctx.Result("dvae_hard_mse", final.HardMse, new Measure("MSE/pixel", "dVAE test MSE per pixel, hard (argmax) codes", TargetText: "close to soft", Headline: true));
        ctx.Result("dvae_soft_mse", final.SoftMse, new Measure("MSE/pixel", "dVAE test MSE per pixel, soft codes at the final τ"));
        ctx.Result("dvae_hard_soft_mse", final.HardSoftMse, new Measure("MSE/pixel", "dVAE MSE between hard and soft reconstructions"));
        ctx.Result("dvae_test_neg_elbo_hard", result.History[^1].ValidationValue("neg_elbo"), new Measure("nats/image", "dVAE test −ELBO with hard samples"));
        ctx.Result("dvae_codebook_usage", final.CodebookUsage, new Measure("fraction", "dVAE codebook usage on the test images"));
        if (o.ImageDir is { } dir) SaveGrid(model, test, final.Temperature, Path.Combine(dir, "dvae-fashion.png"));
    }

    /// <summary>Three groups of 10 test images: originals, soft reconstructions at τ, hard reconstructions; rows of 10.</summary>
    private static void SaveGrid(Dvae model, Dataset test, float tau, string path)
    {
        const int perRow = 10;
        var groups = new List<Tensor>();
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < 30; start += perRow)
            {
                var x = test.Batch(Enumerable.Range(start, perRow).ToArray());
                groups.Add(x.Reshape(perRow, 784));
                groups.Add(model.Decode(model.EncodeRelaxed(x, tau)).Reshape(perRow, 784));
                groups.Add(model.Decode(model.Encode(x)).Reshape(perRow, 784));
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ImageGrid.ComposeRows(groups, 28, 28, new GridOptions { Columns = perRow, Padding = 1 }).SavePng(path);
        BenchContext.Log($"  wrote {path}");
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Calls back at the end of every epoch, on the trainer's thread.</summary>
    private sealed class EpochProgress(Action<EpochMetrics> onEpoch) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.EpochEnd is { } e) onEpoch(e);
        }
    }
}
