using System.CommandLine;
using System.Globalization;
using Latent.Core;
using Latent.Models.Compression;
using Latent.Models.IO;
using Latent.Models.Sampling;
using Latent.Viz.Report;

namespace Latent.Cli.Commands;

/// <summary><c>latent compress</c> and <c>latent decompress</c>: images ↔ quantised, arithmetic-coded codes.</summary>
internal static class CompressCommands
{
    public static Command Compress(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var outFile = CommonOptions.OutFile("The compressed file (.ltnc)");
        var bits = new Option<int>("--bits") { Description = "Quantisation bits per code dimension (1..12)", DefaultValueFactory = _ => 6 };
        var count = new Option<int>("--count", "-n") { Description = "Number of images (the first of the split)", DefaultValueFactory = _ => 100 };
        var cmd = new Command("compress",
            "Compress images with the model's encoder: quantise each code dimension uniformly to 2^bits levels, arithmetic-code the levels (adaptive model per dimension) and write a checksummed container. Prints bits per image and the PSNR of the decoded images.\n\n" +
            "Example:\n  latent compress runs/mnist --split test --count 1000 --bits 5 --out test.ltnc");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, outFile, bits, count);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            if (p.GetValue(count) < 1) throw new ArgumentException($"--count {p.GetValue(count)} must be positive");
            if (p.GetValue(bits) is < 1 or > 12) throw new ArgumentException($"--bits {p.GetValue(bits)} must be in 1..12");
            var (model, _, set) = md.Load(p, ctx);
            var part = set.Subset(ModelPictures.FirstIndices(set, p.GetValue(count)));
            var compressed = CodeCodec.Compress(CodeSampler.EncodeAll(model, part), p.GetValue(bits));
            string path = p.GetValue(outFile)!;
            CodeCodec.Write(path, compressed);
            long bytes = new FileInfo(path).Length;
            var x = part.Batch(Enumerable.Range(0, part.Count).ToArray());
            var restored = CodeSampler.DecodeAll(model, CodeCodec.Decompress(compressed));
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"images         {part.Count}"));
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes          {bytes}"));
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bits_per_image {bytes * 8.0 / part.Count:F2}"));
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"psnr_db        {CodecMetrics.Psnr(restored, x):F3}"));
            ctx.Info($"wrote {path}");
            return 0;
        }));
        return cmd;
    }

    public static Command Decompress(Func<ParseResult, CliContext> context)
    {
        var dir = CommonOptions.ModelDir();
        var file = new Argument<string>("FILE") { Description = "A file written by 'latent compress' with the same model" };
        var outFile = CommonOptions.OutFile("PNG file for the grid of decoded images");
        var count = new Option<int>("--count", "-n") { Description = "Number of images to draw", DefaultValueFactory = _ => 64 };
        var cmd = new Command("decompress", "Decode a file written by 'latent compress' back to images and draw them.\n\nExample:\n  latent decompress runs/mnist test.ltnc --out decoded.png");
        CommonOptions.Add(cmd, dir, file, outFile, count);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            if (p.GetValue(count) < 1) throw new ArgumentException($"--count {p.GetValue(count)} must be positive");
            var compressed = CodeCodec.Read(p.GetValue(file)!);
            var (model, _) = ModelFile.Load(p.GetValue(dir)!);
            if (compressed.CodeSize != model.CodeSize)
                throw new ArgumentException($"'{p.GetValue(file)}' holds codes of size {compressed.CodeSize}, but model '{model.Name}' has code size {model.CodeSize}: compress and decompress with the same model");
            if (!ModelPictures.IsImage(model.InputShape))
                throw new ArgumentException($"samples of shape [{string.Join(",", model.InputShape)}] are not images; this command draws image grids");
            var codes = CodeCodec.Decompress(compressed);
            int n = Math.Min(p.GetValue(count), compressed.Count);
            var first = new Tensor(codes.Span[..(n * model.CodeSize)].ToArray(), [n, model.CodeSize]);
            var images = CodeSampler.DecodeAll(model, first);
            string path = p.GetValue(outFile)!;
            ModelPictures.Rows([images], (int)Math.Ceiling(Math.Sqrt(n))).SavePng(path);
            ctx.Info($"decoded {compressed.Count} images; wrote {path}");
            return 0;
        }));
        return cmd;
    }
}
