using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Models;
using Latent.Models.Metrics;
using Latent.Models.Training;
using Latent.Viz.Images;
using Latent.Viz.Png;

namespace Latent.Quality.Experiments;

/// <summary>
/// Trains a registered vq-vae / vq-vae-2 with <see cref="Trainer.Fit"/> on Fashion-MNIST and scores it on the test
/// images: MSE, MSE / training variance, codebook usage and perplexity, bits per image; optionally fits the PixelCNN
/// prior(s) and writes a grid of 64 samples.
/// </summary>
internal static class VqExperiment
{
    public static (AutoencoderModel Model, VqReport Report) Run(VqRunSettings s, Dataset trainAll, Dataset testAll, Action<string> log)
    {
        var culture = CultureInfo.InvariantCulture;
        var train = s.TrainCount < trainAll.Count ? trainAll.Subset(Enumerable.Range(0, s.TrainCount).ToArray(), trainAll.Name + "-subset") : trainAll;
        var test = s.TestCount < testAll.Count ? testAll.Subset(Enumerable.Range(0, s.TestCount).ToArray(), testAll.Name + "-subset") : testAll;
        double variance = Variance(train.X);
        string tag = s.Tag.Length > 0 ? s.Tag : s.Model;
        var model = ModelRegistry.Create(s.Model, s.ModelOptions.ToDictionary(kv => kv.Key, kv => kv.Value), train.SampleShape, new Rng(s.Seed));
        log($"{tag}: {model.Options.ToText()}  params={model.ParameterCount()}  train={train.Count} test={test.Count} epochs={s.Epochs} budget={s.BudgetSeconds:F0}s batch={s.Batch}");

        var clock = Stopwatch.StartNew();
        using var budget = s.BudgetSeconds > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(s.BudgetSeconds)) : new CancellationTokenSource();
        var result = Trainer.Fit(model, train, s.EvalEachEpoch ? test : null,
            new TrainingOptions { Epochs = s.Epochs, BatchSize = s.Batch, LearningRate = s.LearningRate, Seed = s.Seed, CheckpointEvery = 0 },
            new EpochProgress(e => log(string.Create(culture, $"  epoch {e.Epoch}: ")
                + string.Join(" ", e.Train.Select(kv => string.Create(culture, $"{kv.Key}={kv.Value:G4}")))
                + (e.Validation is null ? "" : string.Create(culture,
                    $" | test mse/var={e.ValidationValue("reconstruction") / test.SampleSize / variance:F4} usage={V(e, "usage", "usage_bottom"):F3} perplexity={V(e, "perplexity", "perplexity_bottom"):F1}"))
                + string.Create(culture, $" ({e.Seconds:F0}s, {clock.Elapsed.TotalSeconds:F0}s in all)"))), budget.Token);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        bool cancelled = result.Status == TrainingStatus.Cancelled;
        log(string.Create(culture, $"  training {result.Status}: {result.EpochsCompleted} full epochs, {result.Steps} steps in {trainSeconds:F0}s"));

        var scores = Evaluation.Reconstruction(model, test);
        var terms = Evaluation.AverageLossTerms(model, test);
        double usage = terms.First(t => t.Key is "usage" or "usage_bottom").Value;
        double perplexity = terms.First(t => t.Key is "perplexity" or "perplexity_bottom").Value;
        var top = terms.Where(t => t.Key.EndsWith("_top", StringComparison.Ordinal)).ToList();
        foreach (var t in top) log(string.Create(culture, $"  test {t.Key}={t.Value:G4}"));
        double bits = model switch { Latent.Models.VqVae.VqVae v => v.BitsPerImage, Latent.Models.VqVae2.VqVae2 v2 => v2.BitsPerImage, _ => double.NaN };

        double priorSeconds = 0;
        string? png = null;
        if (s.PriorEpochs > 0 && model is IPriorModel prior)
        {
            clock.Restart();
            prior.FitPrior(train, new TrainingOptions { Epochs = s.PriorEpochs, BatchSize = s.Batch, LearningRate = s.LearningRate, Seed = s.Seed },
                new EpochProgress(e => log($"  prior epoch {e.Epoch}: " + string.Join(" ", e.Train.Select(kv => string.Create(culture, $"{kv.Key}={kv.Value:G4}"))) + $" ({e.Seconds:F0}s)")), default);
            priorSeconds = clock.Elapsed.TotalSeconds;
            log(string.Create(culture, $"  prior fitted in {priorSeconds:F0}s"));
            if (s.SamplesPng is not null && model is IGenerativeModel g)
            {
                clock.Restart();
                var samples = g.Sample(64, new Rng(s.Seed + 7)).Clamp(0f, 1f);
                var raster = ImageGrid.Compose(samples, new GridOptions { Columns = 8, Scale = 2 });
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(s.SamplesPng))!);
                PngEncoder.Save(s.SamplesPng, raster.Width, raster.Height, raster.Channels, raster.Pixels);
                png = s.SamplesPng;
                log(string.Create(culture, $"  64 samples in {clock.Elapsed.TotalSeconds:F0}s -> {png}"));
            }
        }
        var report = new VqReport(tag, model.Options.ToText(), train.Count, result.EpochsCompleted, cancelled, trainSeconds, bits,
            scores.Mse, scores.Mse / variance, usage, perplexity, top, s.PriorEpochs, priorSeconds, png);
        log(report.Row());
        return (model, report);
    }

    /// <summary>Population variance of <paramref name="x"/>.</summary>
    public static double Variance(float[] x)
    {
        double mean = 0; foreach (var v in x) mean += v; mean /= x.Length;
        double s = 0; foreach (var v in x) s += (v - mean) * (v - mean);
        return s / x.Length;
    }

    private static double V(EpochMetrics e, string a, string b) => e.Validation!.Any(kv => kv.Key == a) ? e.ValidationValue(a) : e.ValidationValue(b);

    private sealed class EpochProgress(Action<EpochMetrics> onEpoch) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) { if (value.EpochEnd is { } e) onEpoch(e); }
    }
}
