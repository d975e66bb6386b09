using System.CommandLine;
using System.Globalization;
using Latent.Core;
using Latent.Models.Inpainting;
using Latent.Viz.Report;

namespace Latent.Cli.Commands;

/// <summary><c>latent inpaint</c>: fill holes with the model (projection onto its manifold) or a classical method.</summary>
internal static class InpaintCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var outFile = CommonOptions.OutFile("PNG file for the original / masked / restored grid");
        var method = new Option<string>("--method")
        {
            Description = "model: iterative projection onto the autoencoder's manifold (encode, decode, put the known pixels back, repeat); telea: Telea 2004 fast marching; navier-stokes: Bertalmío et al. 2001 isophote transport",
            DefaultValueFactory = _ => "model",
        }.AcceptOnlyFromAmong("model", "telea", "navier-stokes");
        var mask = new Option<string>("--mask") { Description = "The hole: " + InpaintMask.Syntax, DefaultValueFactory = _ => "block:0.25" };
        var count = new Option<int>("--count", "-n") { Description = "Number of samples", DefaultValueFactory = _ => 12 };
        var iterations = new Option<int>("--iterations") { Description = "Projections for --method model (1 was best on held-out training images for a block-noise DAE; more passes drift towards blurrier images)", DefaultValueFactory = _ => ManifoldProjection.DefaultIterations };
        var fill = new Option<string>("--fill") { Description = "Starting value of the hole for --method model: mean (of the known pixels) or a number such as 0", DefaultValueFactory = _ => "mean" };
        var radius = new Option<int>("--radius") { Description = "Neighbourhood radius in pixels for telea and navier-stokes", DefaultValueFactory = _ => 3 };
        var cmd = new Command("inpaint",
            "Hide part of each test image and restore it: rows original / masked (grey) / restored; prints the PSNR on the hole pixels.\n\n" +
            "Examples:\n  latent inpaint runs/mnist --mask block:0.25 --out inpaint.png\n  latent inpaint runs/mnist --method telea --mask strokes:4 --out telea.png");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile, method, mask, count, iterations, fill, radius);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var how = Inpainter.ParseMethod(p.GetValue(method)!);
            var spec = InpaintMask.Parse(p.GetValue(mask)!);
            string fillText = p.GetValue(fill)!;
            float? start = fillText == "mean" ? null
                : float.TryParse(fillText, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) && float.IsFinite(f) ? f
                : throw new ArgumentException($"--fill '{fillText}' is neither 'mean' nor a number");
            if (p.GetValue(count) < 1) throw new ArgumentException($"--count {p.GetValue(count)} must be positive");
            var (model, _, set) = md.Load(p, ctx);
            if (!ModelPictures.IsImage(set.SampleShape))
                throw new ArgumentException($"samples of shape [{string.Join(",", set.SampleShape)}] are not images; inpainting needs images");
            var (h, w) = Inpainter.ImageSize(set.SampleShape);
            var x = set.Batch(ModelPictures.FirstIndices(set, p.GetValue(count)));
            var rng = new Rng(ctx.Seed);
            var holes = Enumerable.Range(0, x.Shape[0]).Select(_ => spec.Make(h, w, rng)).ToList();
            var restored = Inpainter.Inpaint(how, x, holes, model, p.GetValue(iterations), p.GetValue(radius), start);
            string path = p.GetValue(outFile)!;
            ModelPictures.Rows([x, Inpainter.Masked(x, holes), restored], x.Shape[0]).SavePng(path);
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hole_psnr_db {Inpainter.HolePsnr(restored, x, holes):F3}"));
            ctx.Info($"wrote {path}");
            return 0;
        }));
        return cmd;
    }
}
