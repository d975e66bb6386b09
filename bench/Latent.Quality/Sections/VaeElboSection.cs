using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Metrics;
using Latent.Models.Training;
using Latent.Viz.Images;

namespace Latent.Quality.Sections;

/// <summary>
/// The seed VAE, Latent vs PyTorch: vae_elbo_ratio = mean over seeds of Latent's test negative ELBO /
/// mean over seeds of PyTorch's, after the same number of epochs. PyTorch's side is bench/quality/torch_vae.py
/// (run by run.sh, output passed with --torch-vae; lines <c>TORCH seed=… epoch=… test_neg_elbo=…</c>). Latent's
/// side is the registered <c>vae</c> with arch=784-128-20 hidden=relu output=bernoulli, Adam 1e-3, batch 128, the test
/// −ELBO with one reparameterised sample per image after every epoch (as torch_vae.py).
/// Settings (--set vae.KEY=…): epochs (5; quick 1), seeds (1,2,3; quick 1), train (60000; quick 5000 — must match
/// torch_vae.py's --train). With --img, writes vae_prior_samples.png: 64 samples from the first seed's model's prior.
/// </summary>
internal static partial class VaeElboSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        int epochs = o.GetInt("vae.epochs", 1, 5);
        int nTrain = o.GetInt("vae.train", 5000, 60000);
        var seeds = o.Get("vae.seeds", "1", "1,2,3").Split(',').Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray();

        // PyTorch's test negative ELBO per (seed, epoch), from torch_vae.py's output.
        var torch = new Dictionary<int, List<double>>();
        if (o.TorchVaeFile is { } f && File.Exists(f))
            foreach (Match m in TorchLine().Matches(File.ReadAllText(f)))
            {
                int e = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                if (!torch.TryGetValue(e, out var list)) torch[e] = list = [];
                list.Add(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }

        var data = new DataOptions { DataDir = o.DataDir };
        var train = NamedDatasets.Load("fashion-mnist", "train", data);
        var test = NamedDatasets.Load("fashion-mnist", "test", data);
        if (nTrain < train.Count) train = train.Subset(Enumerable.Range(0, nTrain).ToArray(), train.Name + $"[:{nTrain}]");
        BenchContext.Log($"\n== VAE ELBO (seed VAE 784-128-20, Fashion-MNIST train {train.Count}, test {test.Count}, {epochs} epochs, seeds {string.Join(",", seeds)})");

        var latent = new Dictionary<int, List<double>>();
        double seconds = 0;
        foreach (var seed in seeds)
        {
            var model = QualityTraining.Create("vae", "arch=784-128-20,hidden=relu,output=bernoulli", train.SampleShape, seed);
            var training = new TrainingOptions { Epochs = epochs, BatchSize = 128, LearningRate = 1e-3f, Seed = seed, CheckpointEvery = 0 };
            seconds += QualityTraining.Fit(model, train, training, Enumerable.Range(1, epochs).ToArray(), (e, s) =>
            {
                // One reparameterised sample per test image, as torch_vae.py's evaluate().
                double negElbo = Evaluation.AverageLossTerms(model, test, 1000, new Rng(seed + 7)).First(t => t.Key == "neg_elbo").Value;
                if (!latent.TryGetValue(e, out var list)) latent[e] = list = [];
                list.Add(negElbo);
                BenchContext.Log(FormattableString.Invariant($"  seed {seed} epoch {e}: test -ELBO {negElbo:F3} ({s:F0} s)"));
            }, logEpochs: false);
            // A grid of 64 samples from the prior of the first seed's model: z ~ N(0, I), decoded to pixel means.
            if (o.ImageDir is not null && seed == seeds[0] && model is IGenerativeModel generative)
            {
                Tensor samples;
                using (Tensor.NoGrad()) samples = generative.Sample(64, new Rng(seed + 11)).Clamp(0f, 1f);
                string path = Path.Combine(o.ImageDir, "vae_prior_samples.png");
                Directory.CreateDirectory(o.ImageDir);
                ImageGrid.Compose(samples, new GridOptions { Columns = 8, Scale = 2 }).SavePng(path);
                BenchContext.Log($"  wrote {path}");
            }
        }

        var table = new TextTable("epoch", "Latent -ELBO", "PyTorch -ELBO", "Latent / PyTorch");
        double ratio = double.NaN;
        for (int e = 1; e <= epochs; e++)
        {
            double l = latent[e].Average();
            double t = torch.TryGetValue(e, out var tl) ? tl.Average() : double.NaN;
            if (e == epochs) ratio = l / t;
            table.Add(e.ToString(CultureInfo.InvariantCulture), F(l), double.IsNaN(t) ? "na" : F(t),
                double.IsNaN(t) ? "na" : (l / t).ToString("F4", CultureInfo.InvariantCulture));
        }
        ctx.Print(table, "per-epoch", $"Seed VAE: test negative ELBO (nats/image), mean over seeds (Latent {seeds.Length}, PyTorch {(torch.TryGetValue(epochs, out var last) ? last.Count : 0)})");
        if (double.IsNaN(ratio)) BenchContext.Log($"  no PyTorch line for epoch {epochs} (run torch_vae.py with the same --epochs/--train): vae_elbo_ratio=na");
        ctx.Result("vae_elbo_ratio", ratio, new Measure("ratio", $"seed VAE: Latent / PyTorch test −ELBO after {epochs} epochs", 1, Tolerance: 0.01, Headline: true));
        ctx.Result("vae_neg_elbo", latent[epochs].Average(), new Measure("nats/image", "seed VAE test −ELBO, Latent"));
        ctx.Result("torch_vae_neg_elbo", torch.TryGetValue(epochs, out var tv) ? tv.Average() : double.NaN, new Measure("nats/image", "seed VAE test −ELBO, PyTorch"));
        ctx.Result("vae_seconds", Math.Round(seconds), new Measure("s", "seed VAE training time of all seeds (wall)"));
    }

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"TORCH seed=\S+ epoch=(\d+) .*?test_neg_elbo=([0-9.eE+-]+)")]
    private static partial Regex TorchLine();
}
