using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Data.Named;
using Latent.Models;
using Latent.Models.Inpainting;
using Latent.Models.Training;
using Latent.Viz.Report;

namespace Latent.Quality.Sections;

/// <summary>
/// Inpainting with an autoencoder against the classical methods: a square hole covering 25 % or 40 % of each test
/// image (random position, seeded), filled by iterative projection onto the model's manifold, by Telea 2004 and by
/// Navier–Stokes (radius 3); PSNR on the hole pixels only. The model is a denoising autoencoder trained to fill block
/// holes (noise=block:0.5, i.e. a square of half the side) on the training set less its last inpaint.validation images.
/// The number of projection passes is chosen on those held-out training images (their first inpaint.val_images, holes
/// from another seed) among inpaint.candidates, for each dataset and hole size, by the best hole PSNR
/// (<see cref="ManifoldProjection.ChoosePasses"/>); the test images are then scored once with that choice, and with
/// the fixed inpaint.iterations for comparison. Settings: inpaint.sets (fm,mnist), inpaint.epochs, inpaint.model,
/// inpaint.settings, inpaint.images (test images scored), inpaint.fill (the hole's starting value; 0, what block noise
/// put there in training). Adds inpaint_{set}_{pct}_{model|telea|ns}_db, inpaint_{set}_{pct}_passes (the choice),
/// inpaint_{set}_{pct}_model_fixed_db and the headline differences inpaint_model_minus_telea_db and
/// inpaint_model_minus_ns_db (Fashion-MNIST, 25 %; target &gt; 0).
/// </summary>
internal static class InpaintSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var data = new DataOptions { DataDir = o.DataDir };
        var sets = o.Get("inpaint.sets", "fm", "fm,mnist").Split(',', StringSplitOptions.RemoveEmptyEntries);
        int epochs = o.GetInt("inpaint.epochs", 1, 10);
        int images = o.GetInt("inpaint.images", 50, 1000);
        int validation = o.GetInt("inpaint.validation", 500, 5000);
        int valImages = o.GetInt("inpaint.val_images", 50, 1000);
        int iterations = o.GetInt("inpaint.iterations", 20, 50);
        var candidates = o.Get("inpaint.candidates", "1,2,5,20", "1,2,3,5,10,20,50").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        // The projection starts the hole at 0, what the block noise of the DAE's training put there (fixed, not chosen).
        float fill = o.GetFloat("inpaint.fill", 0f, 0f);
        string name = o.Get("inpaint.model", "dae", "dae");
        string settings = o.Get("inpaint.settings", "arch=784-512-64,hidden=relu,output=bernoulli,noise=block:0.5", "arch=784-512-64,hidden=relu,output=bernoulli,noise=block:0.5");
        var table = new TextTable("data", "hole", "passes (validation)", "model dB", "telea dB", "navier-stokes dB", "model − telea", "model − ns", $"model, {iterations} passes dB");
        var choices = new TextTable(["data", "hole", .. candidates.Distinct().Order().Select(c => $"{c} pass{(c == 1 ? "" : "es")} dB"), "chosen"]);
        foreach (var set in sets)
        {
            string dataset = set switch { "fm" => "fashion-mnist", "mnist" => "mnist", _ => throw new ArgumentException($"inpaint.sets: unknown set '{set}' (fm, mnist)") };
            var all = NamedDatasets.Load(dataset, "train", data);
            var test = NamedDatasets.Load(dataset, "test", data);
            int trainCount = o.Quick ? 3000 : all.Count - validation;
            if (trainCount < 1 || validation < 1 || valImages > validation) throw new ArgumentException($"inpaint.validation {validation}: must leave training images and hold at least inpaint.val_images {valImages}");
            var train = all.Subset(Enumerable.Range(0, trainCount).ToArray(), all.Name + $"[:{trainCount}]");
            var heldOut = all.Batch(Enumerable.Range(all.Count - validation, valImages).ToArray());
            var training = new TrainingOptions { Epochs = epochs, BatchSize = 128, LearningRate = 1e-3f, Schedule = "constant", Seed = 1, CheckpointEvery = 0 };
            var model = QualityTraining.Create(name, settings, train.SampleShape, training.Seed);
            BenchContext.Log($"\n== inpaint: {dataset} {name} {settings}, {epochs} epochs on {train.Count} images; passes chosen on {valImages} of the last {validation} training images");
            double seconds = QualityTraining.Fit(model, train, training, [], null);
            var x = test.Batch(Enumerable.Range(0, Math.Min(images, test.Count)).ToArray());
            var (h, w) = Inpainter.ImageSize(test.SampleShape);
            foreach (var pct in new[] { 25, 40 })
            {
                var mask = InpaintMask.Parse(string.Create(CultureInfo.InvariantCulture, $"block:{pct / 100.0}"));
                var valRng = new Rng(11);
                var valHoles = Enumerable.Range(0, heldOut.Shape[0]).Select(_ => mask.Make(h, w, valRng)).ToList();
                var choice = ManifoldProjection.ChoosePasses(model, heldOut, valHoles, candidates, fill);
                choices.Add([dataset, $"{pct}%", .. choice.Scores.Select(sc => F(sc.HolePsnr)), choice.Passes.ToString(CultureInfo.InvariantCulture)]);
                int passes = choice.Passes;
                var rng = new Rng(7);
                var holes = Enumerable.Range(0, x.Shape[0]).Select(_ => mask.Make(h, w, rng)).ToList();
                var byModel = Inpainter.Inpaint(InpaintMethod.Model, x, holes, model, passes, fill: fill);
                double fixedPasses = Inpainter.HolePsnr(Inpainter.Inpaint(InpaintMethod.Model, x, holes, model, iterations, fill: fill), x, holes);
                var telea = Inpainter.Inpaint(InpaintMethod.Telea, x, holes);
                var ns = Inpainter.Inpaint(InpaintMethod.NavierStokes, x, holes);
                double pm = Inpainter.HolePsnr(byModel, x, holes), pt = Inpainter.HolePsnr(telea, x, holes), pn = Inpainter.HolePsnr(ns, x, holes);
                string prefix = $"inpaint_{set}_{pct}";
                string what = $"{dataset}, {pct}% square hole, PSNR on hole pixels, {x.Shape[0]} test images";
                ctx.Result($"{prefix}_passes", passes.ToString(CultureInfo.InvariantCulture), new Measure("passes", $"{dataset}, {pct}% hole: projection passes with the best hole PSNR on {valImages} held-out training images, among {string.Join(",", candidates)}"));
                ctx.Result($"{prefix}_model_db", pm, new Measure("dB", $"{what}: {name} projection ({passes} passes chosen on held-out training images, from a hole of {fill}, {epochs} epochs, {seconds:F0} s training)"));
                ctx.Result($"{prefix}_model_fixed_db", fixedPasses, new Measure("dB", $"{what}: {name} projection with a fixed {iterations} passes"));
                ctx.Result($"{prefix}_telea_db", pt, new Measure("dB", $"{what}: Telea 2004"));
                ctx.Result($"{prefix}_ns_db", pn, new Measure("dB", $"{what}: Navier–Stokes"));
                if (set == "fm" && pct == 25)
                {
                    ctx.Result("inpaint_model_minus_telea_db", pm - pt, new Measure("dB", "Fashion-MNIST, 25% holes: model minus Telea PSNR on hole pixels", 0, HigherIsBetter: true, Headline: true));
                    ctx.Result("inpaint_model_minus_ns_db", pm - pn, new Measure("dB", "Fashion-MNIST, 25% holes: model minus Navier–Stokes PSNR on hole pixels", 0, HigherIsBetter: true, Headline: true));
                }
                table.Add(dataset, $"{pct}%", passes.ToString(CultureInfo.InvariantCulture), F(pm), F(pt), F(pn), F(pm - pt), F(pm - pn), F(fixedPasses));
                BenchContext.Log($"  {pct}% holes: {passes} passes (validation); model {pm:F2} dB, telea {pt:F2} dB, ns {pn:F2} dB; {iterations} passes {fixedPasses:F2} dB");
                if (o.ImageDir is not null && !o.Quick && pct == 25)
                {
                    int n = 10;
                    Tensor First(Tensor t) => new(t.Span[..(n * t.Size / t.Shape[0])].ToArray(), [n, .. t.Shape[1..]]);
                    var few = holes.Take(n).ToList();
                    ModelPictures.Rows([First(x), Inpainter.Masked(First(x), few), First(byModel), First(telea), First(ns)], n)
                        .SavePng(Path.Combine(o.ImageDir, $"inpaint_{set}.png"));
                }
            }
        }
        ctx.Print(table, "inpaint", "Inpainting: PSNR (dB) on the hole pixels of the test images, model projection vs Telea vs Navier–Stokes");
        ctx.Print(choices, "passes", "Choosing the projection passes: hole PSNR (dB) on held-out training images by number of passes (hole started at 0)");
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
