using System.CommandLine;
using System.Globalization;
using Latent.Models.SuperResolution;
using Latent.Viz.Report;

namespace Latent.Cli.Commands;

/// <summary><c>latent upscale</c>: the super-resolution grid of an sr-ae model and its PSNR/SSIM against bicubic.</summary>
internal static class UpscaleCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var outFile = CommonOptions.OutFile("PNG file for the grid: low resolution (nearest), bicubic, model, original");
        var count = new Option<int>("--count", "-n") { Description = "Samples in the grid", DefaultValueFactory = _ => 8 };
        var json = CommonOptions.Json();
        var cmd = new Command("upscale",
            "Super-resolution with a trained sr-ae model: box-downsample the split's images by the model's factor, upscale them " +
            "by bicubic interpolation and by the model, draw the first --count as rows low-res (nearest) / bicubic / model / " +
            "original, and print the mean PSNR (dB) and SSIM of bicubic and of the model over the whole split.\n\n" +
            "Example:\n  latent train --model sr-ae --data fashion-mnist --epochs 5 --out runs/sr4\n" +
            "  latent upscale runs/sr4 --data fashion-mnist --split test --count 8 --out sr4.png");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile, count, json);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            OptionLimits.Check(p.GetValue(count), "--count", 1, OptionLimits.MaxCount);
            var (model, loaded, set) = md.Load(p, ctx);
            if (model is not SuperResolutionAutoencoder sr)
                throw new ArgumentException($"model '{model.Name}' is not a super-resolution model; train one with --model sr-ae");
            string path = p.GetValue(outFile)!;
            var scores = SuperResolutionEvaluation.Evaluate(sr, set);
            SuperResolutionPictures.Comparison(sr, set, ModelPictures.FirstIndices(set, p.GetValue(count))).SavePng(path);
            string which = p.GetValue(md.Split)!;
            if (p.GetValue(json))
            {
                ctx.Out.WriteLine(JsonOutput.Object(w =>
                {
                    w.WriteString("model", model.Name);
                    w.WriteString("data", loaded.Description.Source);
                    w.WriteString("split", which);
                    w.WriteString("grid", path);
                    JsonOutput.Numbers(w, scores.Values().Select(v => KeyValuePair.Create(v.Name, v.Value)));
                }));
            }
            else
            {
                ctx.Out.WriteLine($"{model.Name} x{sr.Factor} on {loaded.Description.Source} ({which} split, {scores.Count} images)");
                ctx.Out.WriteLine($"{"",-8} {"PSNR dB",9} {"SSIM",7}");
                ctx.Out.WriteLine($"{"bicubic",-8} {F(scores.BicubicPsnr, "F2"),9} {F(scores.BicubicSsim, "F4"),7}");
                ctx.Out.WriteLine($"{"model",-8} {F(scores.ModelPsnr, "F2"),9} {F(scores.ModelSsim, "F4"),7}");
                ctx.Out.WriteLine($"PSNR gain over bicubic: {F(scores.PsnrGain, "+0.00;-0.00")} dB");
                ctx.Info($"wrote {path}");
            }
            return 0;
        }));
        return cmd;
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
