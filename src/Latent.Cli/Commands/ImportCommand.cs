using System.CommandLine;
using Latent.Models.IO;

namespace Latent.Cli.Commands;

/// <summary>
/// <c>latent import</c>: weights trained elsewhere (PyTorch, saved in safetensors with Latent's tensor names and shapes)
/// plus a model.json describing the architecture become a Latent model folder.
/// </summary>
internal static class ImportCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var weights = new Argument<string>("WEIGHTS") { Description = "A .safetensors file with the model's tensors under Latent's names (encoder.1.weight, ...)" };
        var config = new Option<string>("--config") { Description = "The model.json (or a model folder) that describes the architecture", Required = true };
        var outDir = new Option<string>("--out", "-o") { Description = "The model folder to write (model.json + model.safetensors)", Required = true };
        var cmd = new Command("import",
            "Make a Latent model folder from weights trained elsewhere: every tensor's name and shape is checked against the\n" +
            "model that the config describes. Metrics of the config's run are dropped (they belong to other weights).\n\n" +
            "Example:\n  latent import torch_weights.safetensors --config runs/demo/model.json --out runs/from-torch");
        cmd.Arguments.Add(weights);
        CommonOptions.Add(cmd, config, outDir);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            string source = p.GetValue(weights)!, target = p.GetValue(outDir)!;
            if (!File.Exists(source)) throw new FileNotFoundException($"weights '{source}' not found", source);
            var manifest = ModelFile.ReadManifest(p.GetValue(config)!);
            // Checked in a scratch folder first, so a bad file never leaves a half-written model behind.
            string scratch = Path.Combine(Path.GetTempPath(), "latent-import-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(scratch);
            try
            {
                File.Copy(source, Path.Combine(scratch, ModelFile.WeightsFileName));
                // The architecture only: the checksum it may carry names the weights it was saved with, not these.
                var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Directory.Exists(p.GetValue(config)!)
                    ? Path.Combine(p.GetValue(config)!, ModelFile.ManifestFileName) : p.GetValue(config)!))!.AsObject();
                json.Remove("weights_sha256");
                File.WriteAllText(Path.Combine(scratch, ModelFile.ManifestFileName), json.ToJsonString());
                var (model, _) = ModelFile.Load(scratch);
                ModelFile.Save(target, model, manifest with { Metrics = new Dictionary<string, double>(), TrainingScoreQuantiles = null });
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            ctx.Info($"imported '{manifest.Model}' ({manifest.Options}) from {source} to {target}");
            return 0;
        }));
        return cmd;
    }
}
