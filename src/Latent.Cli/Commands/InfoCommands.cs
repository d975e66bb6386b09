using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Latent.Core;
using Latent.Core.IO;
using Latent.Data.Arrays;
using Latent.Data.Idx;
using Latent.Data.Images;
using Latent.Data.Tables;
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
        var path = new Argument<string>("FILE_OR_DIR") { Description = "A model folder, a model.json, a .safetensors file, a checkpoint, or a data file (.npy/.npz, .csv/.tsv, .png, IDX)" };
        var cmd = new Command("info", "Describe a model folder (model.json), a safetensors file (its tensors), a checkpoint (its header) or a data file (its shape); the kind is read from the file's first bytes.\n\nExamples:\n  latent info runs/demo\n  latent info runs/demo/model.safetensors\n  latent info runs/demo/checkpoints/checkpoint.latent");
        cmd.Arguments.Add(path);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            string target = p.GetValue(path)!;
            if (Directory.Exists(target) || target.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) Manifest(ctx, ModelFile.ReadManifest(target));
            else if (!File.Exists(target)) throw new FileNotFoundException($"'{target}' not found", target);
            else Describe(ctx, target);
            return 0;
        }));
        return cmd;
    }

    // The kind of a file is read from its first bytes, not its name, so that any file gets a one-line answer.
    private static void Describe(CliContext ctx, string target)
    {
        Span<byte> head = stackalloc byte[16];
        int n;
        using (var fs = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 64))
            n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var h = head[..n];
        string lower = target.ToLowerInvariant();
        if (h.StartsWith("LATENTCK"u8)) Checkpoint(ctx, target);
        else if (n >= 9 && h[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(h) < (ulong)SafeTensors.MaxHeaderBytes) Tensors(ctx, target);
        else if (h.StartsWith((ReadOnlySpan<byte>)[0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y']))
        {
            var a = NpyReader.Read(target);
            ctx.Out.WriteLine($"NPY array {target}: shape {Shapes.Format(a.Shape)}, dtype {a.Dtype}, {a.Length:N0} values");
        }
        else if (h.StartsWith("PK\u0003\u0004"u8))
            ctx.Out.WriteLine($"NPZ archive {target}: arrays {string.Join(", ", NpyReader.NpzKeys(target))}");
        else if (h.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            var img = PngDecoder.Decode(target);
            ctx.Out.WriteLine($"PNG image {target}: {img.Width}x{img.Height}, {img.Channels} channel(s)");
        }
        else if (lower.EndsWith(".csv") || lower.EndsWith(".tsv") || lower.EndsWith(".csv.gz") || lower.EndsWith(".tsv.gz"))
            ctx.Out.WriteLine(CsvTable.Load(target).Description);
        else if (n >= 4 && h[0] == 0 && h[1] == 0 && h[2] is 0x08 or 0x09 or 0x0B or 0x0C or 0x0D or 0x0E && h[3] > 0
                 || n >= 2 && h[0] == 0x1F && h[1] == 0x8B)
        {
            var a = IdxReader.Read(target);
            ctx.Out.WriteLine($"IDX array {target}: type {a.TypeCode:X2}, dimensions [{string.Join(",", a.Dims)}]");
        }
        else
            throw new InvalidDataException($"'{target}' is not a kind of file latent describes (a model folder or model.json, .safetensors, checkpoint, .npy/.npz, .csv/.tsv, .png or IDX); it starts with {(n == 0 ? "nothing (empty)" : Convert.ToHexString(h[..Math.Min(n, 8)]))}");
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
