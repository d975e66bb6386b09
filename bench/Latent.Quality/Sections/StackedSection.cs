using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Metrics;
using Latent.Models.Stacked;
using Latent.Models.Training;

namespace Latent.Quality.Sections;

/// <summary>
/// Greedy layer-wise pretraining of the stacked autoencoder (Hinton &amp; Salakhutdinov 2006; Bengio et al. 2007): the
/// same deep sigmoid network (784-256-64-16) fine-tuned for a few epochs from the pretrained layers and from a random
/// initialisation, scored by the test SSE per image on Fashion-MNIST (all 10,000 test images). RESULT keys
/// stacked_sse_pretrained, stacked_sse_plain and stacked_pretrain_gain (plain / pretrained, &gt; 1 when pretraining helps).
/// Both runs: the first <c>train</c> training images, batch 64, Adam 1e-3, seed 1 (model and shuffles), as
/// <c>latent train --model stacked-ae --set arch=784-256-64-16 pretrain_epochs=P --epochs E --val-fraction 0</c> does.
/// Settings (--set stacked.KEY=…): train (quick 1,000, full 5,000), test (quick 500, full 10,000), arch
/// (784-256-64-16), epochs (quick 1, full 3: fine-tuning), pretrain_epochs (quick 1, full 3: per layer).
/// </summary>
internal static class StackedSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var data = new DataOptions { DataDir = o.DataDir };
        int nTrain = o.GetInt("stacked.train", 1000, 5000), nTest = o.GetInt("stacked.test", 500, 10000);
        int epochs = o.GetInt("stacked.epochs", 1, 3), pretrain = o.GetInt("stacked.pretrain_epochs", 1, 3);
        string arch = o.Get("stacked.arch", "784-256-64-16", "784-256-64-16");
        var train = NamedDatasets.Load("fashion-mnist", "train", data).Subset(Enumerable.Range(0, nTrain).ToArray());
        var test = NamedDatasets.Load("fashion-mnist", "test", data);
        if (nTest < test.Count) test = test.Subset(Enumerable.Range(0, nTest).ToArray());
        BenchContext.Log($"\n== Stacked autoencoder on Fashion-MNIST: first {nTrain} train / {test.Count} test images, {arch}, {epochs} fine-tuning epochs");
        var table = new TextTable("initialisation", "pretraining epochs per layer", "test SSE/image", "train s");
        var training = new TrainingOptions { Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, Seed = 1, CheckpointEvery = 0 };
        var sse = new double[2];
        foreach (var (i, p) in new[] { (0, pretrain), (1, 0) })
        {
            var clock = Stopwatch.StartNew();
            var model = (StackedAutoencoder)ModelRegistry.Create("stacked-ae",
                new Dictionary<string, string> { ["arch"] = arch, ["pretrain_epochs"] = p.ToString(CultureInfo.InvariantCulture) }, train.SampleShape, new Rng(1));
            model.Pretrain(train, training, null, CancellationToken.None);
            Trainer.Fit(model, train, null, training);
            sse[i] = Evaluation.Reconstruction(model, test).SsePerImage;
            BenchContext.Log($"  pretrain_epochs={p}: test SSE {sse[i]:F3} ({clock.Elapsed.TotalSeconds:F0} s)");
            table.Add(p > 0 ? "greedy layer-wise pretraining" : "random (no pretraining)", p.ToString(CultureInfo.InvariantCulture),
                sse[i].ToString("F2", CultureInfo.InvariantCulture), clock.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture));
        }
        ctx.Result("stacked_sse_pretrained", sse[0], new Measure("SSE/image", $"stacked AE {arch} test SSE per image, {pretrain} pretraining epochs per layer + {epochs} fine-tuning epochs"));
        ctx.Result("stacked_sse_plain", sse[1], new Measure("SSE/image", $"stacked AE {arch} test SSE per image, {epochs} epochs without pretraining"));
        ctx.Result("stacked_pretrain_gain", sse[1] / sse[0], new Measure("ratio", "stacked AE: test SSE without / with pretraining", 1, HigherIsBetter: true));
        ctx.Print(table, "stacked", "Stacked autoencoder: pretraining vs random initialisation (Fashion-MNIST test SSE per image)");
    }
}
