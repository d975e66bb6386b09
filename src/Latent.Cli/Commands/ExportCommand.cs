using System.CommandLine;
using Latent.Models.Export;
using Latent.Models.IO;

namespace Latent.Cli.Commands;

/// <summary><c>latent export</c>: a trained model's encoder, decoder or whole reconstruction as an ONNX file.</summary>
internal static class ExportCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var dir = CommonOptions.ModelDir();
        var format = new Option<string>("--format") { Description = "Output format (only 'onnx')", DefaultValueFactory = _ => "onnx" };
        var part = new Option<string>("--part") { Description = "encoder (x -> code), decoder (code -> x) or full (x -> reconstruction)", DefaultValueFactory = _ => "full" };
        var opset = new Option<int>("--opset") { Description = $"ONNX opset, {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}", DefaultValueFactory = _ => 17 };
        var dynamicBatch = new Option<bool>("--dynamic-batch") { Description = "Symbolic batch axis ('batch') instead of a fixed batch of --batch" };
        var batch = new Option<int>("--batch") { Description = "Fixed batch size without --dynamic-batch", DefaultValueFactory = _ => 1 };
        var sample = new Option<bool>("--sample") { Description = "VAE: add an input 'noise' [B,Z] and use the reparameterised sample instead of the mean" };
        var outFile = CommonOptions.OutFile("The .onnx file to write");
        var cmd = new Command("export",
            "Write a trained model as an ONNX file that ONNX Runtime (or any ONNX runtime) can serve.\n\n" +
            "Inputs: x [B, ...input shape] (encoder, full), z [B, Z] (decoder); outputs: code, reconstruction.\n\n" +
            "Examples:\n  latent export runs/demo --format onnx --part full --dynamic-batch --out demo.onnx\n" +
            "  latent export runs/vae --part encoder --opset 17 --out encoder.onnx\n" +
            "  latent export runs/vae --part full --sample --dynamic-batch --out sampler.onnx");
        cmd.Arguments.Add(dir);
        CommonOptions.Add(cmd, format, part, opset, dynamicBatch, batch, sample, outFile);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            // Every value is checked before the model is read.
            string fmt = p.GetValue(format)!;
            if (!string.Equals(fmt, "onnx", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--format '{fmt}' is not supported (expected onnx)");
            var which = OnnxExporter.ParsePart(p.GetValue(part)!);
            var options = new OnnxExportOptions(p.GetValue(opset), p.GetValue(dynamicBatch), p.GetValue(batch), p.GetValue(sample));
            if (options.Opset is < OnnxExportOptions.MinOpset or > OnnxExportOptions.MaxOpset)
                throw new ArgumentException($"--opset {options.Opset} is not supported (expected {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset})");
            if (options.BatchSize < 1) throw new ArgumentException($"--batch {options.BatchSize} must be >= 1");
            string path = p.GetValue(outFile)!;
            var (model, _) = ModelFile.Load(p.GetValue(dir)!);
            OnnxExporter.ExportToFile(model, which, path, options);
            ctx.Info($"wrote the {which.ToString().ToLowerInvariant()} of '{model.Name}' as ONNX (opset {options.Opset}, batch {(options.DynamicBatch ? "dynamic" : options.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))}) to {path}");
            return 0;
        }));
        return cmd;
    }
}
