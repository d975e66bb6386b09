using System.Diagnostics;
using System.Globalization;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models.Metrics;
using Latent.Models.Pca;
using Latent.Models.Training;

namespace Latent.Quality.Sections;

/// <summary>
/// Deep autoencoder vs PCA at code size 30 (Hinton &amp; Salakhutdinov 2006, Fig. 2): test SSE per image on [0,1]
/// pixels for Fashion-MNIST (60k/10k) and MNIST (the 8,000/2,000 split of t10k). Targets: Fashion-MNIST ≤ 6.1,
/// MNIST ≤ 4.5. Adds fm_ae30_sse, fm_pca30_sse, mnist_ae30_sse, mnist_pca30_sse (and the training seconds).
/// Every setting can be overridden with --set fm.KEY=… / mnist.KEY=… (arch, hidden, output, network, epochs, batch, lr,
/// optimizer, schedule, augment, wd, model, extra, seed, train, valid, trainlog, logevery). With valid=N the last N
/// training images are held out for choosing settings and the test set is not evaluated.
/// </summary>
internal static class AeVsPcaSection
{
    private const int Code = 30;

    public static void Run(BenchContext ctx)
    {
        var which = ctx.Options.Get("ae.sets", "fm,mnist", "fm,mnist").Split(',');
        if (which.Contains("fm")) MeasureSet(ctx, "fm", "fashion-mnist", "Fashion-MNIST", target: 6.1);
        if (which.Contains("mnist")) MeasureSet(ctx, "mnist", "mnist", "MNIST (8k/2k)", target: 4.5);
    }

    private static void MeasureSet(BenchContext ctx, string key, string name, string label, double target)
    {
        var o = ctx.Options;
        var table = new TextTable("data", "model", "configuration", "test SSE/image", "target", "train s");
        var data = new DataOptions { DataDir = o.DataDir };
        var train = NamedDatasets.Load(name, "train", data);
        var test = NamedDatasets.Load(name, "test", data);
        if (o.Quick) test = test.Subset(Enumerable.Range(0, 500).ToArray(), test.Name + "[:500]");
        BenchContext.Log($"\n== {name}: train {train.Count}, test {test.Count}");

        var clock = Stopwatch.StartNew();
        var pca = Pca.Fit(train, Code);
        double pcaSeconds = clock.Elapsed.TotalSeconds;
        double pcaSse = Evaluation.Reconstruction(pca, test).SsePerImage;
        BenchContext.Log($"  PCA-{Code}: test SSE {pcaSse:F3} ({pcaSeconds:F1} s)");
        table.Add(name, $"PCA-{Code}", "Latent Pca.Fit on train", F(pcaSse), "", pcaSeconds.ToString("F0", CultureInfo.InvariantCulture));
        ctx.Result($"{key}_pca30_sse", pcaSse, new Measure("SSE/image", $"{label} PCA-30 test SSE per image"));

        string arch = o.Get($"{key}.arch", "784-256-128-30", "784-512-30");
        string hidden = o.Get($"{key}.hidden", "relu", "elu");
        string output = o.Get($"{key}.output", "gaussian", "gaussian");
        string network = o.Get($"{key}.network", "mlp", "conv");
        // {key}.model picks another registered family with the same network keys (e.g. dae, dropout-ae) and
        // {key}.extra adds its own settings ("noise=gaussian:0.1", "rate=0.1"); {key}.wd is the optimizer's weight decay.
        string modelName = o.Get($"{key}.model", "ae", "ae");
        string extra = o.Get($"{key}.extra", "", "");
        float weightDecay = o.GetFloat($"{key}.wd", 0f, 0f);
        var training = new TrainingOptions
        {
            Epochs = o.GetInt($"{key}.epochs", 2, key == "fm" ? 30 : 40),
            BatchSize = o.GetInt($"{key}.batch", 128, key == "fm" ? 128 : 64),
            LearningRate = o.GetFloat($"{key}.lr", 1e-3f, 1e-3f),
            Optimizer = o.Get($"{key}.optimizer", "adam", "adam"),
            Schedule = o.Get($"{key}.schedule", "cosine", "cosine"),
            Augmentation = o.Get($"{key}.augment", "none", key == "fm" ? "none" : "shift:1"),
            Seed = (ulong)o.GetInt($"{key}.seed", 1, 1),
            CheckpointEvery = 0,
        };
        string config = $"arch={arch},hidden={hidden},output={output},network={network}" + (extra.Length > 0 ? "," + extra : "");
        // --quick trains the AE on 2,000 images only; PCA always sees the whole training set (Pca.Fit on the first
        // 2,000 MNIST images fails to converge in SymmetricEigen: see the report to the lead).
        // {key}.train=N trains on the first N images (pilot runs only).
        // {key}.valid=N holds out the last N of those images as a validation set (for choosing settings): the per-epoch
        // log then shows validation SSE instead of test SSE, and the test set is not evaluated at all.
        int nTrain = Math.Min(train.Count, o.GetInt($"{key}.train", 2000, train.Count));
        int nValid = o.GetInt($"{key}.valid", 0, 0);
        if (nValid < 0 || nValid >= nTrain) throw new ArgumentException($"{key}.valid={nValid}: must be in [0, {nTrain})");
        Dataset? valid = nValid > 0 ? train.Subset(Enumerable.Range(nTrain - nValid, nValid).ToArray(), train.Name + $"[{nTrain - nValid}:{nTrain}]") : null;
        nTrain -= nValid;
        var aeTrain = nTrain < train.Count ? train.Subset(Enumerable.Range(0, nTrain).ToArray(), train.Name + $"[:{nTrain}]") : train;
        // Train SSE on (up to) the first 2,000 training images, logged next to the held-out SSE to tell under- from over-fitting.
        int nTrainLog = Math.Min(aeTrain.Count, o.GetInt($"{key}.trainlog", 500, 2000));
        var trainLog = aeTrain.Subset(Enumerable.Range(0, nTrainLog).ToArray(), aeTrain.Name + $"[:{nTrainLog}]");
        var model = QualityTraining.Create(modelName, config, train.SampleShape, training.Seed);
        string reg = (modelName == "ae" ? "" : $" {modelName} {extra}") + (weightDecay > 0 ? $" wd {weightDecay:G3}" : "")
            + (training.Augmentation != "none" ? $" augment {training.Augmentation}" : "");
        string desc = $"{network} {arch} {hidden} {output}{reg}, {training.Optimizer} {training.LearningRate:G3} {training.Schedule}, batch {training.BatchSize}, {training.Epochs} epochs";
        BenchContext.Log($"  AE: {desc}, train {aeTrain.Count}" + (valid is null ? "" : $", valid {valid.Count}"));
        // Test SSE after every epoch is logged (not used to choose anything), to see whether longer training would help;
        // its evaluation time is not counted as training time.
        // {key}.logevery=K logs every K-th epoch (and the last).
        int logEvery = Math.Max(1, o.GetInt($"{key}.logevery", 1, key == "fm" ? 1 : 5));
        var every = Enumerable.Range(1, training.Epochs).Where(e => e % logEvery == 0 || e == training.Epochs).ToArray();
        var services = weightDecay > 0
            ? QualityTraining.Services with { CreateOptimizer = (spec, ps) => Latent.NN.Optim.Optimizers.Create(spec.Name!, ps, spec.LearningRate!.Value, weightDecay) }
            : QualityTraining.Services;
        double seconds = QualityTraining.Fit(model, aeTrain, training, every,
            (e, s) =>
            {
                model.Eval();
                double trainSse = Evaluation.Reconstruction(model, trainLog).SsePerImage;
                string heldOut = valid is null
                    ? $"test SSE {Evaluation.Reconstruction(model, test).SsePerImage:F3}"
                    : $"valid SSE {Evaluation.Reconstruction(model, valid).SsePerImage:F3}";
                BenchContext.Log($"  epoch {e}: train SSE {trainSse:F3}, {heldOut} ({s:F0} s)");
                model.Train();
            }, services: services);
        if (valid is not null)
        {
            BenchContext.Log($"  (validation run: the test set was not evaluated; {training.Epochs} epochs in {seconds:F0} s)");
            ctx.Print(table, $"sse-{key}-valid", $"{label}: PCA-{Code} (validation run)");
            return;
        }
        model.Eval();
        double sse = Evaluation.Reconstruction(model, test).SsePerImage;
        string status = sse <= target ? "met" : $"MISSED ({F(sse)} > {target})";
        BenchContext.Log($"  AE-{Code}: test SSE {sse:F3} in {seconds:F0} s — target ≤ {target}: {status}");
        table.Add(name, $"AE-{Code}", desc, F(sse), $"≤ {target}: {status}", seconds.ToString("F0", CultureInfo.InvariantCulture));
        ctx.Result($"{key}_ae30_sse", sse, new Measure("SSE/image", $"{label} AE-30 test SSE per image", target, HigherIsBetter: false, Headline: true));
        ctx.Result($"{key}_ae30_seconds", Math.Round(seconds), new Measure("s", $"{label} AE-30 training time (wall)"));
        ctx.Print(table, $"sse-{key}", $"{label}: AE vs PCA, code size 30 (test SSE per image, pixels in [0,1])");
        if (o.ImageDir is not null && !o.Quick)
        {
            ReconstructionGrid.Save(model, test, 50, Path.Combine(o.ImageDir, $"{key}_ae30.png"));
            ReconstructionGrid.Save(pca, test, 50, Path.Combine(o.ImageDir, $"{key}_pca30.png"));
        }
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
