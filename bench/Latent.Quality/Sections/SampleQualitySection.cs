using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Cvae;
using Latent.Models.Metrics;
using Latent.Models.Sampling;
using Latent.Models.Training;
using Latent.Viz.Images;

namespace Latent.Quality.Sections;

/// <summary>
/// Sample quality of the generative models on Fashion-MNIST: the Fréchet classifier distance (FCD; the Fréchet distance of
/// Heusel et al. 2017 on the 64 penultimate features of an MLP classifier 784-256-64-10 trained here with a fixed seed, not
/// Inception, so not FID) and k-NN precision/recall (Kynkäänniemi et al. 2019, k = 3) of N samples per model against N test
/// images. A row "training images" (N held-out training images in place of samples) is the floor the estimator gives
/// two real sets of this size. Every model trains on the first `train` training images with Adam and a fixed seed;
/// epochs and settings are fixed per model (small budgets: the table ranks the models at this budget, not at convergence).
/// Conditional generation: the share of samples drawn for class y that the classifier labels y, for the cvae and for
/// the trained VQ-VAE's codes under a second, class-conditional PixelCNN prior (classes=10, fitted like the first).
/// Pictures: docs/img/sample-quality-MODEL.png (40 samples each), docs/img/cvae-classes-fm.png and
/// docs/img/vq-vae-classes-fm.png (one row of 10 per class).
/// RESULT keys: fcd_MODEL, precision_MODEL, recall_MODEL (MODEL with '-' and '+' as '_'), fcd_real_floor, classifier_accuracy,
/// class_accuracy_cvae, fcd_vq_vae_class_prior, class_accuracy_vq_vae_class_prior.
/// Settings (--set sample-quality.KEY=…): train (quick 1,000, full 10,000), n (samples and test images; quick 200, full 500),
/// epochs (MLP models; quick 1, full 12), vq_epochs (quick 1, full 2), vq2_epochs (quick 1, full 2), prior_epochs (quick 1,
/// full 2), classifier_train (quick 2,000, full 20,000), classifier_epochs (quick 1, full 3), models (comma list; default all).
/// </summary>
internal static class SampleQualitySection
{
    /// <summary>The models, their settings and which epoch count they use.</summary>
    private static readonly (string Name, string Model, string Settings, string Epochs)[] Models =
    [
        ("vae", "vae", "arch=784-500-20", "epochs"),
        ("beta-vae", "beta-vae", "arch=784-500-20", "epochs"),
        ("cvae", "cvae", "arch=784-500-20,classes=10", "epochs"),
        ("aae", "aae", "arch=784-512-512-8,disc=512-512", "epochs"),
        ("ae+gmm", "ae", "arch=784-500-20", "epochs"),
        ("dvae", "dvae", "network=mlp,categories=64,latents=32,embedding=32,hidden=512-256", "epochs"),
        ("vq-vae", "vq-vae", "ema=true,restart=20,prior_layers=4,prior_channels=32", "vq_epochs"),
        ("vq-vae-2", "vq-vae-2", "ema=true,restart=20,k_top=8,k_bottom=64,prior_layers=3,prior_channels=16", "vq2_epochs"),
    ];

    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        int nTrain = o.GetInt("sample-quality.train", 1000, 10000), n = o.GetInt("sample-quality.n", 200, 500);
        int epochs = o.GetInt("sample-quality.epochs", 1, 12), vqEpochs = o.GetInt("sample-quality.vq_epochs", 1, 2);
        int vq2Epochs = o.GetInt("sample-quality.vq2_epochs", 1, 2), priorEpochs = o.GetInt("sample-quality.prior_epochs", 1, 2);
        int classifierTrain = o.GetInt("sample-quality.classifier_train", 2000, 20000), classifierEpochs = o.GetInt("sample-quality.classifier_epochs", 1, 3);
        var only = o.Get("sample-quality.models", "", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();

        var data = new DataOptions { DataDir = o.DataDir };
        var fullTrain = NamedDatasets.Load("fashion-mnist", "train", data);
        var test = NamedDatasets.Load("fashion-mnist", "test", data);
        var train = fullTrain.Subset(Enumerable.Range(0, Math.Min(nTrain, fullTrain.Count)).ToArray(), $"fashion-mnist[:{nTrain}]");
        var real = test.Batch(Enumerable.Range(0, n).ToArray());
        // The floor: n training images the models never saw (the last n of the training set).
        var heldOut = fullTrain.Batch(Enumerable.Range(fullTrain.Count - n, n).ToArray());

        BenchContext.Log($"\n== Sample quality on Fashion-MNIST: models on {train.Count} training images, {n} samples vs {n} test images; " +
                         $"classifier 784-256-64-10 on {classifierTrain} images, {classifierEpochs} epochs");
        var clock = Stopwatch.StartNew();
        var classifier = new FeatureClassifier(train.SampleShape, 10, [256, 64], new Rng(1));
        var classifierData = fullTrain.Subset(Enumerable.Range(0, Math.Min(classifierTrain, fullTrain.Count - n)).ToArray(), "fashion-mnist/classifier");
        classifier.Fit(classifierData, new TrainingOptions { Epochs = classifierEpochs, BatchSize = 64, LearningRate = 1e-3f, Seed = 1, CheckpointEvery = 0 });
        double accuracy = classifier.Accuracy(test);
        BenchContext.Log(FormattableString.Invariant($"  classifier test accuracy {accuracy:P2} ({clock.Elapsed.TotalSeconds:F0} s)"));
        ctx.Result("classifier_accuracy", accuracy, new Measure("fraction", "test accuracy of the feature classifier (784-256-64-10 MLP) on Fashion-MNIST"));

        var table = new TextTable("model", "settings", "epochs", "train s", "FCD", "precision", "recall");
        var classTable = new TextTable("model", "conditioning", "class accuracy");
        var floor = SampleQuality.Score(classifier, real, heldOut);
        table.Add("training images (floor)", $"{n} held-out training images", "-", "-", F(floor.FrechetDistance, "F2"), F(floor.Precision, "F3"), F(floor.Recall, "F3"));
        ctx.Result("fcd_real_floor", floor.FrechetDistance, new Measure("FCD", $"Fréchet classifier distance between {n} test and {n} held-out training images (the estimator's floor)"));

        foreach (var (name, modelName, settings, epochKey) in Models)
        {
            if (only.Count > 0 && !only.Contains(name)) continue;
            int e = epochKey switch { "vq_epochs" => vqEpochs, "vq2_epochs" => vq2Epochs, _ => epochs };
            var model = QualityTraining.Create(modelName, settings, train.SampleShape, seed: 1);
            BenchContext.Log($"\n-- {name}: {model.Options.ToText()}, {e} epochs");
            var options = new TrainingOptions { Epochs = e, BatchSize = 64, LearningRate = 1e-3f, Seed = 1, CheckpointEvery = 0 };
            double seconds = QualityTraining.Fit(model, train, options, [], null);
            var sampleClock = Stopwatch.StartNew();
            if (model is IPriorModel prior)
            {
                prior.FitPrior(train, options with { Epochs = priorEpochs }, null, default);
                seconds += sampleClock.Elapsed.TotalSeconds;
            }
            model.Eval();
            var rng = new Rng(7);
            Tensor samples;
            using (Tensor.NoGrad())
            {
                if (name == "ae+gmm")
                {
                    var mixture = GaussianMixture.Fit(CodeSampler.EncodeAll(model, train), 10, CovarianceKind.Full, seed: 1);
                    samples = CodeSampler.Sample(model, mixture, n, rng);
                }
                else samples = ((IGenerativeModel)model).Sample(n, rng);
            }
            var score = SampleQuality.Score(classifier, real, samples);
            BenchContext.Log(FormattableString.Invariant(
                $"  FCD {score.FrechetDistance:F2} precision {score.Precision:F3} recall {score.Recall:F3} (train {seconds:F0} s, sampling {sampleClock.Elapsed.TotalSeconds:F0} s)"));
            table.Add(name, settings.Length == 0 ? "defaults" : settings, e.ToString(CultureInfo.InvariantCulture) + (model is IPriorModel ? $" + prior {priorEpochs}" : ""),
                F(seconds, "F0"), F(score.FrechetDistance, "F2"), F(score.Precision, "F3"), F(score.Recall, "F3"));
            string key = name.Replace('-', '_').Replace('+', '_');
            ctx.Result($"fcd_{key}", score.FrechetDistance, new Measure("FCD", $"Fréchet classifier distance of {name} samples to Fashion-MNIST test images (lower is better)", Headline: name == "cvae"));
            ctx.Result($"precision_{key}", score.Precision, new Measure("fraction", $"k-NN precision (k = 3) of {name} samples"));
            ctx.Result($"recall_{key}", score.Recall, new Measure("fraction", $"k-NN recall (k = 3) of {name} samples"));
            if (model is Cvae conditionalVae)
            {
                double classAccuracy = ClassAccuracy(classifier, labels => conditionalVae.Sample(labels.Length, new Rng(9), labels), n);
                BenchContext.Log(FormattableString.Invariant($"  classifier accuracy on samples drawn per class: {classAccuracy:P1}"));
                ctx.Result("class_accuracy_cvae", classAccuracy, new Measure("fraction", "share of cvae samples drawn for class y that the feature classifier labels y", Headline: true));
                classTable.Add("cvae", "label one-hot into encoder and decoder", F(classAccuracy, "F3"));
            }
            if (model is Latent.Models.VqVae.VqVae vq)
            {
                // The class-conditional prior over the same codes (a per-class bias in every gated layer, van den Oord et al. 2016, Eq. 4).
                var vqOptions = (Latent.Models.VqVae.VqVaeOptions)vq.Options;
                var classPrior = new Latent.Models.PixelCnn.GatedPixelCnn(vqOptions.CodebookSize, vqOptions.PriorChannels, vqOptions.PriorLayers, vqOptions.PriorKernel, 10, 0, new Rng(2));
                var priorClock = Stopwatch.StartNew();
                Latent.Models.PixelCnn.PriorFitting.Fit(classPrior, vq.IndexMaps(train), train.Count, vq.CodeHeight, vq.CodeWidth, train.Labels, null,
                    options with { Epochs = priorEpochs }, null, default);
                Tensor DrawClasses(int[] labels)
                {
                    var codes = classPrior.Sample(labels.Length, vq.CodeHeight, vq.CodeWidth, new Rng(9), labels);
                    using (Tensor.NoGrad()) return vq.DecodeIndices(codes, labels.Length);
                }
                var classLabels = Enumerable.Range(0, n).Select(i => i % 10).ToArray();
                var classSamples = DrawClasses(classLabels);
                var classScore = SampleQuality.Score(classifier, real, classSamples);
                double classAccuracy = ClassAccuracy(classifier, classSamples, classLabels);
                BenchContext.Log(FormattableString.Invariant(
                    $"  class-conditional prior: FCD {classScore.FrechetDistance:F2} precision {classScore.Precision:F3} recall {classScore.Recall:F3}, class accuracy {classAccuracy:P1} ({priorClock.Elapsed.TotalSeconds:F0} s)"));
                table.Add("vq-vae + class prior", "the same VQ-VAE, prior with classes=10", $"prior {priorEpochs}", F(priorClock.Elapsed.TotalSeconds, "F0"),
                    F(classScore.FrechetDistance, "F2"), F(classScore.Precision, "F3"), F(classScore.Recall, "F3"));
                classTable.Add("vq-vae + class prior", "per-class bias in every gated layer of the PixelCNN prior", F(classAccuracy, "F3"));
                ctx.Result("fcd_vq_vae_class_prior", classScore.FrechetDistance, new Measure("FCD", "Fréchet classifier distance of VQ-VAE samples through a class-conditional prior (classes uniform)"));
                ctx.Result("class_accuracy_vq_vae_class_prior", classAccuracy, new Measure("fraction", "share of VQ-VAE samples drawn for class y through the class-conditional prior that the classifier labels y"));
                if (o.ImageDir is { } vqDir)
                    SaveGrid(DrawClasses(Enumerable.Range(0, 100).Select(i => i / 10).ToArray()), Path.Combine(vqDir, "vq-vae-classes-fm.png"));
            }
            if (o.ImageDir is { } dir)
            {
                SaveGrid(samples.Narrow(0, 0, Math.Min(40, n)), Path.Combine(dir, $"sample-quality-{key.Replace('_', '-')}.png"));
                if (model is Cvae cvae)
                {
                    Tensor perClass;
                    using (Tensor.NoGrad())
                        perClass = cvae.Sample(100, new Rng(8), Enumerable.Range(0, 100).Select(i => i / 10).ToArray());
                    SaveGrid(perClass, Path.Combine(dir, "cvae-classes-fm.png"));
                }
            }
        }
        ctx.Print(classTable, "class-accuracy", $"Conditional generation: share of samples drawn for class y ({n}, classes in turn) that the feature classifier (test accuracy {accuracy:P1}) labels y; 0.1 is chance");
        ctx.Print(table, "scores", $"Sample quality on Fashion-MNIST ({n} samples vs {n} test images; FCD on the 64 features of the classifier, test accuracy {accuracy:P1}; k = 3)");
    }

    /// <summary>The share of <paramref name="n"/> samples drawn for classes 0, 1, …, 9, 0, … that the classifier labels with their class.</summary>
    private static double ClassAccuracy(FeatureClassifier classifier, Func<int[], Tensor> draw, int n)
    {
        var labels = Enumerable.Range(0, n).Select(i => i % 10).ToArray();
        Tensor samples;
        using (Tensor.NoGrad()) samples = draw(labels);
        return ClassAccuracy(classifier, samples, labels);
    }

    private static double ClassAccuracy(FeatureClassifier classifier, Tensor samples, int[] labels) =>
        classifier.Accuracy(new Dataset("samples", samples.ToArray(), samples.Shape[1..], labels));

    /// <summary>Rows of 10 images 28×28.</summary>
    private static void SaveGrid(Tensor images, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ImageGrid.Compose(images.Reshape(images.Shape[0], 28, 28), new GridOptions { Columns = 10, Padding = 1 }).SavePng(path);
        BenchContext.Log($"  wrote {path}");
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
