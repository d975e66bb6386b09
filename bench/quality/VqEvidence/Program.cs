using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Metrics;
using Latent.Models.Training;
using Latent.Viz.Images;
using Latent.Viz.Png;

// Evidence for the VQ-VAE family on real Fashion-MNIST (issue 5). Usage:
//   dotnet run -c Release --project bench/quality/VqEvidence -- <model> [key=value ...]
//   model: vq-vae | vq-vae-2;  run keys: epochs, prior_epochs, train (samples), batch, lr, seed, samples_png, out;
//   every other key is a model option (k, d, ema, restart, ...). Prints one result line per phase and appends a
//   row to bench/quality/VqEvidence/results.md.
var culture = CultureInfo.InvariantCulture;
if (args.Length == 0) { Console.Error.WriteLine("usage: VqEvidence <vq-vae|vq-vae-2> [key=value ...]"); return 2; }
string modelName = args[0];
var settings = args.Skip(1).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
string Take(string key, string fallback) { if (settings.Remove(key, out var v)) return v; return fallback; }
int epochs = int.Parse(Take("epochs", "5"), culture);
int priorEpochs = int.Parse(Take("prior_epochs", "0"), culture);
int trainCount = int.Parse(Take("train", "60000"), culture);
int batch = int.Parse(Take("batch", "64"), culture);
float lr = float.Parse(Take("lr", "1e-3"), culture);
ulong seed = ulong.Parse(Take("seed", "1"), culture);
string? png = settings.Remove("samples_png", out var p) ? p : null;
string tag = Take("tag", modelName);

var train = NamedDatasets.Load("fashion-mnist", "train");
var test = NamedDatasets.Load("fashion-mnist", "test");
if (trainCount < train.Count) train = train.Subset(Enumerable.Range(0, trainCount).ToArray(), "fashion-mnist/train-subset");
double variance = Variance(train.X);

var model = ModelRegistry.Create(modelName, settings, train.SampleShape, new Rng(seed));
Console.WriteLine($"{tag}: {model.Options.ToText()}  params={model.ParameterCount()}  train={train.Count} epochs={epochs} batch={batch}");
var clock = Stopwatch.StartNew();
var result = Trainer.Fit(model, train, null, new TrainingOptions { Epochs = epochs, BatchSize = batch, LearningRate = lr, Seed = seed },
    new Progress(e => Console.WriteLine($"  epoch {e.Epoch}: " + string.Join(" ", e.Train.Select(kv => $"{kv.Key}={kv.Value:G4}")) + $" ({e.Seconds:F0}s)")));
double trainSeconds = clock.Elapsed.TotalSeconds;

var scores = Evaluation.Reconstruction(model, test);
var terms = Evaluation.AverageLossTerms(model, test);
// Batch-averaged (batch 256) codebook usage and perplexity; for VQ-VAE-2 those of the bottom level (the top ones are printed).
double usage = terms.First(t => t.Key is "usage" or "usage_bottom").Value, perplexity = terms.First(t => t.Key is "perplexity" or "perplexity_bottom").Value;
foreach (var t in terms.Where(t => t.Key.EndsWith("_top", StringComparison.Ordinal))) Console.WriteLine($"  test {t.Key}={t.Value:G4}");
double bits = model switch { Latent.Models.VqVae.VqVae v => v.BitsPerImage, Latent.Models.VqVae2.VqVae2 v2 => v2.BitsPerImage, _ => double.NaN };
string line = string.Create(culture, $"| {tag} | {model.Options.ToText()} | {train.Count} | {epochs} | {trainSeconds:F0} | {bits:F0} | {scores.Mse:F5} | {scores.Mse / variance:F4} | {usage:F3} | {perplexity:F1} |");
Console.WriteLine(line);

double priorSeconds = 0;
if (priorEpochs > 0 && model is IPriorModel prior)
{
    clock.Restart();
    prior.FitPrior(train, new TrainingOptions { Epochs = priorEpochs, BatchSize = batch, LearningRate = lr, Seed = seed },
        new Progress(e => Console.WriteLine($"  prior epoch {e.Epoch}: " + string.Join(" ", e.Train.Select(kv => $"{kv.Key}={kv.Value:G4}")) + $" ({e.Seconds:F0}s)")), default);
    priorSeconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"  prior fitted in {priorSeconds:F0}s");
    if (png is not null && model is IGenerativeModel g)
    {
        clock.Restart();
        var samples = g.Sample(64, new Rng(seed + 7)).Clamp(0f, 1f);
        var raster = ImageGrid.Compose(samples, new GridOptions { Columns = 8, Scale = 2 });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(png))!);
        PngEncoder.Save(png, raster.Width, raster.Height, raster.Channels, raster.Pixels);
        Console.WriteLine($"  64 samples in {clock.Elapsed.TotalSeconds:F0}s -> {png}");
    }
}
string results = Path.Combine(AppContext.BaseDirectory, "../../../results.md");
File.AppendAllText(results, line + string.Create(culture, $" prior {priorEpochs} ep {priorSeconds:F0}s\n"));
return 0;

static double Variance(float[] x)
{
    double mean = 0; foreach (var v in x) mean += v; mean /= x.Length;
    double s = 0; foreach (var v in x) s += (v - mean) * (v - mean);
    return s / x.Length;
}

sealed class Progress(Action<EpochMetrics> onEpoch) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) { if (value.EpochEnd is { } e) onEpoch(e); }
}
