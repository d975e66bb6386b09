// Latent side of bench/quality/torch_vae.py (same model, loss, optimiser, batch size and epochs).
// usage: dotnet run -c Release --project bench/quality/VaeQuality -- [epochs=5] [seeds=1,2,3] [k=0]
// Prints per epoch: LATENT seed=<s> epoch=<e> train_loss=<..> test_neg_elbo=<..> test_rec=<..> test_kl=<..> seconds=<..>
// and, when k > 0, the importance-sampled test NLL with k samples after the last epoch.
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Metrics;
using Latent.Models.Training;
using Latent.Models.Vae;

var args_ = args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
int epochs = int.Parse(args_.GetValueOrDefault("epochs", "5"), CultureInfo.InvariantCulture);
var seeds = args_.GetValueOrDefault("seeds", "1,2,3").Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray();
int k = int.Parse(args_.GetValueOrDefault("k", "0"), CultureInfo.InvariantCulture);

var train = NamedDatasets.Load("fashion-mnist", "train");
var test = NamedDatasets.Load("fashion-mnist", "test");
var settings = new Dictionary<string, string> { ["arch"] = "784-128-20", ["hidden"] = "relu", ["output"] = "bernoulli" };
foreach (var seed in seeds)
{
    var model = (Vae)ModelRegistry.Create("vae", settings, train.SampleShape, new Rng(seed));
    var progress = new EpochReporter(model, test, seed);
    Trainer.Fit(model, train, null, new TrainingOptions { Epochs = epochs, BatchSize = 128, LearningRate = 1e-3f, Seed = seed }, progress);
    if (k > 0)
    {
        double nll = Likelihood.ImportanceSampledNll(model, test, k, new Rng(seed + 1000));
        Console.WriteLine(FormattableString.Invariant($"LATENT seed={seed} is_nll_k{k}={nll:F4}"));
    }
}

/// <summary>Evaluates the test negative ELBO at every epoch end.</summary>
sealed class EpochReporter(Vae model, Dataset test, ulong seed) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p)
    {
        if (p.EpochEnd is null) return;
        var terms = Evaluation.AverageLossTerms(model, test, 1000, new Rng(seed + 7)).ToDictionary(t => t.Key, t => t.Value);
        Console.WriteLine(FormattableString.Invariant(
            $"LATENT seed={seed} epoch={p.EpochEnd.Epoch} train_loss={p.EpochEnd.TrainValue("total"):F4} test_neg_elbo={terms["neg_elbo"]:F4} test_rec={terms["reconstruction"]:F4} test_kl={terms["kl"]:F4} seconds={p.EpochEnd.Seconds:F1}"));
    }
}
