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
/// holes (noise=block:0.5, i.e. a square of half the side). Settings: inpaint.sets (fm,mnist), inpaint.epochs,
/// inpaint.model, inpaint.settings, inpaint.images (test images scored), inpaint.iterations, inpaint.fill (the hole's
/// starting value; 0, what block noise put there in training). A second table shows the projection from 0 and from the
/// mean of the known pixels after 1, 10 and 50 passes. Adds
/// inpaint_{set}_{pct}_{model|telea|ns}_db and the headline differences inpaint_model_minus_telea_db and
/// inpaint_model_minus_ns_db (Fashion-MNIST, 25 %; target &gt; 0).
/// </summary>
internal static class InpaintSection
{
    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var data = new DataOptions { DataDir = o.DataDir };
        var sets = o.Get("inpaint.sets", "fm", "fm,mnist").Split(',', StringSplitOptions.RemoveEmptyEntries);
        int epochs = o.GetInt("inpaint.epochs", 1, 5);
        int images = o.GetInt("inpaint.images", 50, 1000);
        int iterations = o.GetInt("inpaint.iterations", 20, 50);
        // The headline projection starts the hole at 0, what the block noise of the DAE's training put there.
        float fill = o.GetFloat("inpaint.fill", 0f, 0f);
        string name = o.Get("inpaint.model", "dae", "dae");
        string settings = o.Get("inpaint.settings", "arch=784-512-64,hidden=relu,output=bernoulli,noise=block:0.5", "arch=784-512-64,hidden=relu,output=bernoulli,noise=block:0.5");
        var table = new TextTable("data", "hole", "model dB", "telea dB", "navier-stokes dB", "model − telea", "model − ns");
        var variants = new TextTable("data", "hole", "start", "1 pass dB", "10 passes dB", "50 passes dB");
        foreach (var set in sets)
        {
            string dataset = set switch { "fm" => "fashion-mnist", "mnist" => "mnist", _ => throw new ArgumentException($"inpaint.sets: unknown set '{set}' (fm, mnist)") };
            var train = NamedDatasets.Load(dataset, "train", data);
            var test = NamedDatasets.Load(dataset, "test", data);
            if (o.Quick) train = train.Subset(Enumerable.Range(0, 3000).ToArray(), train.Name + "[:3000]");
            var training = new TrainingOptions { Epochs = epochs, BatchSize = 128, LearningRate = 1e-3f, Schedule = "constant", Seed = 1, CheckpointEvery = 0 };
            var model = QualityTraining.Create(name, settings, train.SampleShape, training.Seed);
            BenchContext.Log($"\n== inpaint: {dataset} {name} {settings}, {epochs} epochs on {train.Count} images");
            double seconds = QualityTraining.Fit(model, train, training, [], null);
            var x = test.Batch(Enumerable.Range(0, Math.Min(images, test.Count)).ToArray());
            var (h, w) = Inpainter.ImageSize(test.SampleShape);
            foreach (var pct in new[] { 25, 40 })
            {
                var mask = InpaintMask.Parse(string.Create(CultureInfo.InvariantCulture, $"block:{pct / 100.0}"));
                var rng = new Rng(7);
                var holes = Enumerable.Range(0, x.Shape[0]).Select(_ => mask.Make(h, w, rng)).ToList();
                var byModel = Inpainter.Inpaint(InpaintMethod.Model, x, holes, model, iterations, fill: fill);
                foreach (var (label, start) in new (string, float?)[] { ("0", 0f), ("mean of known pixels", null) })
                {
                    var row = new List<string> { dataset, $"{pct}%", label };
                    foreach (int passes in new[] { 1, 10, 50 })
                        row.Add(F(Inpainter.HolePsnr(Inpainter.Inpaint(InpaintMethod.Model, x, holes, model, passes, fill: start), x, holes)));
                    variants.Add([.. row]);
                }
                var telea = Inpainter.Inpaint(InpaintMethod.Telea, x, holes);
                var ns = Inpainter.Inpaint(InpaintMethod.NavierStokes, x, holes);
                double pm = Inpainter.HolePsnr(byModel, x, holes), pt = Inpainter.HolePsnr(telea, x, holes), pn = Inpainter.HolePsnr(ns, x, holes);
                string prefix = $"inpaint_{set}_{pct}";
                string what = $"{dataset}, {pct}% square hole, PSNR on hole pixels, {x.Shape[0]} test images";
                ctx.Result($"{prefix}_model_db", pm, new Measure("dB", $"{what}: {name} projection ({iterations} iterations from a hole of {fill}, {epochs} epochs, {seconds:F0} s training)"));
                ctx.Result($"{prefix}_telea_db", pt, new Measure("dB", $"{what}: Telea 2004"));
                ctx.Result($"{prefix}_ns_db", pn, new Measure("dB", $"{what}: Navier–Stokes"));
                if (set == "fm" && pct == 25)
                {
                    ctx.Result("inpaint_model_minus_telea_db", pm - pt, new Measure("dB", "Fashion-MNIST, 25% holes: model minus Telea PSNR on hole pixels", 0, HigherIsBetter: true, Headline: true));
                    ctx.Result("inpaint_model_minus_ns_db", pm - pn, new Measure("dB", "Fashion-MNIST, 25% holes: model minus Navier–Stokes PSNR on hole pixels", 0, HigherIsBetter: true, Headline: true));
                }
                table.Add(dataset, $"{pct}%", F(pm), F(pt), F(pn), F(pm - pt), F(pm - pn));
                BenchContext.Log($"  {pct}% holes: model {pm:F2} dB, telea {pt:F2} dB, ns {pn:F2} dB");
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
        ctx.Print(table, "inpaint", "Inpainting: PSNR (dB) on the hole pixels, model projection vs Telea vs Navier–Stokes");
        ctx.Print(variants, "projection", "Model projection: PSNR (dB) on the hole pixels by starting value and number of passes");
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
