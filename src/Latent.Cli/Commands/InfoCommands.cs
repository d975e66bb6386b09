using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Latent.Core;
using Latent.Core.IO;
using Latent.Models;
using Latent.Models.IO;
using Latent.Models.Options;
using Latent.Models.Training;

namespace Latent.Cli.Commands;

/// <summary><c>latent models</c> and <c>latent info</c>.</summary>
internal static class InfoCommands
{
    public static Command Models(Func<ParseResult, CliContext> context)
    {
        var json = CommonOptions.Json();
        var verbose = new Option<bool>("--options") { Description = "Also list every option: key, type, default, allowed values and meaning" };
        var cmd = new Command("models",
            "List every registered model with its paper and default options (keys for --set).\n\n" +
            "Examples:\n  latent models\n  latent models --options\n  latent models --json      # every option: key, aliases, type, default, allowed, doc");
        CommonOptions.Add(cmd, json, verbose);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            if (p.GetValue(json))
            {
                ctx.Out.WriteLine(ModelsJson());
                return 0;
            }
            foreach (var m in ModelRegistry.All)
            {
                ctx.Out.WriteLine(m.Name);
                ctx.Out.WriteLine($"  {m.Description}");
                ctx.Out.WriteLine($"  paper:    {m.Citation}");
                ctx.Out.WriteLine($"  defaults: {m.DefaultOptionsText}");
                if (!p.GetValue(verbose)) continue;
                foreach (var o in m.Schema.Options)
                    ctx.Out.WriteLine($"    {string.Join(", ", o.Aliases.Prepend(o.Key)),-24} {o.Type,-7} {o.Text(m.Defaults),-20} {o.Allowed,-24} {o.Doc}");
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary>{"models": [{name, citation, description, default_data, options: [{key, aliases, type, default, allowed, values?, role?, doc}]}]}.</summary>
    private static string ModelsJson() => JsonSerializer.Serialize(new
    {
        models = ModelRegistry.All.Select(m => new
        {
            name = m.Name, citation = m.Citation, description = m.Description, default_data = m.DefaultData,
            options = m.Schema.Options.Select(o => new
            {
                key = o.Key, aliases = o.Aliases, type = o.Type, @default = o.Text(m.Defaults), allowed = o.Allowed, values = o.Values,
                role = o.Role == OptionRole.None ? null : o.Role.ToString().ToLowerInvariant(), doc = o.Doc,
            }),
        }),
    }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });

    public static Command Info(Func<ParseResult, CliContext> context)
    {
        var path = new Argument<string>("FILE_OR_DIR") { Description = "A model folder, a model.json, a .safetensors file or a checkpoint" };
        var cmd = new Command("info", "Describe a model folder (model.json), a safetensors file (its tensors) or a checkpoint (its header).\n\nExamples:\n  latent info runs/demo\n  latent info runs/demo/model.safetensors\n  latent info runs/demo/checkpoints/checkpoint.latent");
        cmd.Arguments.Add(path);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            string target = p.GetValue(path)!;
            if (Directory.Exists(target) || target.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) Manifest(ctx, ModelFile.ReadManifest(target));
            else if (!File.Exists(target)) throw new FileNotFoundException($"'{target}' not found", target);
            else if (target.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) Tensors(ctx, target);
            else Checkpoint(ctx, target);
            return 0;
        }));
        return cmd;
    }

    private static void Manifest(CliContext ctx, ModelManifest m)
    {
        ctx.Out.WriteLine($"model        {m.Model}");
        ctx.Out.WriteLine($"options      {m.Options}");
        ctx.Out.WriteLine($"code size    {m.CodeSize}");
        ctx.Out.WriteLine($"input shape  {Shapes.Format(m.InputShape)}");
        if (m.Data is { } d)
        {
            ctx.Out.WriteLine($"data         {d.Source} ({d.Kind}): {d.Description}");
            ctx.Out.WriteLine($"             {d.TrainCount} training / {d.TestCount} test samples" + (d.Mean is null ? "" : ", standardised per feature"));
        }
        foreach (var (k, v) in m.Training) ctx.Out.WriteLine($"{k,-12} {v}");
        foreach (var (k, v) in m.Metrics) ctx.Out.WriteLine($"{k,-28} {v.ToString("G6", CultureInfo.InvariantCulture)}");
        ctx.Out.WriteLine($"written by   Latent {m.LatentVersion}");
    }

    private static void Tensors(CliContext ctx, string path)
    {
        var (tensors, metadata) = SafeTensors.Read(path);
        foreach (var (k, v) in metadata) ctx.Out.WriteLine($"metadata {k} = {v}");
        long total = 0;
        foreach (var (name, t) in tensors)
        {
            ctx.Out.WriteLine($"{name,-40} {Shapes.Format(t.Shape)}");
            total += t.Size;
        }
        ctx.Out.WriteLine($"{tensors.Count} tensors, {total:N0} values");
    }

    private static void Checkpoint(CliContext ctx, string path)
    {
        var c = Latent.Models.Training.Checkpoint.Load(path);
        ctx.Out.WriteLine($"checkpoint   {path}");
        ctx.Out.WriteLine($"model        {c.ModelName} ({c.ModelOptions})");
        ctx.Out.WriteLine($"input shape  {Shapes.Format(c.InputShape)}");
        ctx.Out.WriteLine($"status       {c.Status}");
        ctx.Out.WriteLine($"position     {c.EpochsCompleted} epochs done, step {c.StepInEpoch} of the next, {c.GlobalStep} steps in all");
        ctx.Out.WriteLine($"optimizer    {string.Join("; ", c.Optimizers.Select(o => $"{(o.Phase is null ? "" : o.Phase + " ")}{o.Kind}, {o.StepCount} steps"))}" + (c.Schedule is null ? "" : $", schedule {c.Schedule}") + (c.Stage is null ? "" : $", stage {c.Stage}"));
        ctx.Out.WriteLine($"batch/seed   {c.BatchSize} / {c.Seed}");
        if (c.History.Count > 0)
            ctx.Out.WriteLine($"last epoch   {TrainingProgressView.Terms(c.History[^1].Train)}");
    }
}
