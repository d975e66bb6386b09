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
            Table(ctx, [("file", target), ("kind", "NPY array"), ("shape", Shapes.Format(a.Shape)), ("dtype", $"{NumpyName(a.Kind, a.ItemSize)} ({a.Dtype})"), ("values", a.Length.ToString("N0", CultureInfo.InvariantCulture))]);
        }
        else if (h.StartsWith("PK\u0003\u0004"u8))
            Table(ctx, [("file", target), ("kind", "NPZ archive"), ("arrays", string.Join(", ", NpyReader.NpzKeys(target)))]);
        else if (h.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            var img = PngDecoder.Decode(target);
            string channels = img.Channels switch { 1 => "gray", 2 => "gray + alpha", 3 => "RGB", 4 => "RGBA", _ => "" };
            Table(ctx, [("file", target), ("kind", "PNG image"), ("size", $"{img.Width} x {img.Height} x {img.Channels} (width x height x channels)"), ("channels", $"{img.Channels} ({channels})")]);
        }
        else if (lower.EndsWith(".csv") || lower.EndsWith(".tsv") || lower.EndsWith(".csv.gz") || lower.EndsWith(".tsv.gz"))
        {
            var header = CsvTable.ReadHeader(target);
            var t = CsvTable.Load(target);
            Table(ctx, [("file", target), ("kind", lower.Contains(".tsv") ? "TSV table" : "CSV table"),
                ("size", $"{t.Count:N0} rows x {header.Length} columns ({t.SampleSize} features" + (t.Labels is null ? ")" : " + the label)")),
                ("columns", header.Length <= 12 ? string.Join(", ", header) : string.Join(", ", header.Take(6)) + ", ..., " + string.Join(", ", header.TakeLast(3))),
                ("labels", t.Labels is null ? "none (no column named 'label'; train with --label COLUMN)" : "column 'label': values " + string.Join(", ", t.Labels.Distinct().Order().Take(20).Select(l => $"{l} ({t.Labels.Count(x => x == l):N0})")))]);
        }
        else if (n >= 4 && h[0] == 0 && h[1] == 0 && h[2] is 0x08 or 0x09 or 0x0B or 0x0C or 0x0D or 0x0E && h[3] > 0
                 || n >= 2 && h[0] == 0x1F && h[1] == 0x8B)
        {
            var a = IdxReader.Read(target);
            Table(ctx, [("file", target), ("kind", "IDX array"), ("shape", $"[{string.Join(",", a.Dims)}]"), ("type", $"0x{a.TypeCode:X2}")]);
        }
        else
            throw new InvalidDataException($"'{target}' is not a kind of file latent describes (a model folder or model.json, .safetensors, checkpoint, .npy/.npz, .csv/.tsv, .png or IDX); it starts with {(n == 0 ? "nothing (empty)" : Convert.ToHexString(h[..Math.Min(n, 8)]))}");
    }

    private static string NumpyName(char kind, int size) => kind switch
    {
        'f' => $"float{size * 8}",
        'i' => $"int{size * 8}",
        'u' => $"uint{size * 8}",
        'b' => "bool",
        _ => $"{kind}{size}",
    };

    /// <summary>Prints rows as one table, keys padded to the longest.</summary>
    private static void Table(CliContext ctx, IReadOnlyList<(string Key, string Value)> rows)
    {
        int width = rows.Max(r => r.Key.Length) + 2;
        foreach (var (k, v) in rows) ctx.Out.WriteLine(k.PadRight(width) + v);
    }

    // Configuration keys that the first rows of the table already show.
    private static readonly HashSet<string> Shown = ["model", "options", "code_size", "parameters", "data", "data_description", "train_samples", "test_samples"];

    private static void Manifest(CliContext ctx, ModelManifest m)
    {
        var rows = new List<(string, string)>
        {
            ("model", m.Model),
            ("options", m.Options),
            ("code size", m.CodeSize.ToString(CultureInfo.InvariantCulture)),
            ("input shape", Shapes.Format(m.InputShape)),
        };
        if (m.Training.TryGetValue("parameters", out var parameters)) rows.Add(("parameters", parameters));
        if (m.Data is { } d)
        {
            rows.Add(("data", $"{d.Source} ({d.Kind})"));
            if (d.Description is not null) rows.Add(("data description", d.Description));
            double fraction = m.Training.TryGetValue("validation_fraction", out var vf) && double.TryParse(vf, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) ? f : 0;
            int held = Trainer.ValidationCount(d.TrainCount, fraction);
            rows.Add(("samples", $"{d.TrainCount - held:N0} training, " + (held > 0 ? $"{held:N0} validation, " : "") + $"{d.TestCount:N0} test" + (d.Mean is null ? "" : "; standardised per feature")));
            if (d.ClassNames is { Length: > 0 } names) rows.Add(("classes", string.Join(", ", names.Select((c, i) => $"{i} = {c}"))));
        }
        foreach (var (k, v) in m.Training.Where(kv => !Shown.Contains(kv.Key))) rows.Add((k.Replace('_', ' '), v));
        foreach (var (k, v) in m.Metrics) rows.Add((k == "epochs" ? "epochs completed" : k, v.ToString("G6", CultureInfo.InvariantCulture)));
        rows.Add(("written by", $"Latent {m.LatentVersion}"));
        Table(ctx, rows);
    }

    private static void Tensors(CliContext ctx, string path)
    {
        var (tensors, metadata) = SafeTensors.Read(path);
        var rows = new List<(string, string)> { ("file", path), ("kind", "safetensors") };
        rows.AddRange(metadata.Select(kv => ($"metadata {kv.Key}", kv.Value)));
        rows.AddRange(tensors.Select(kv => (kv.Key, Shapes.Format(kv.Value.Shape))));
        rows.Add(("tensors", $"{tensors.Count}, {tensors.Sum(kv => (long)kv.Value.Size):N0} values"));
        Table(ctx, rows);
    }

    private static void Checkpoint(CliContext ctx, string path)
    {
        var c = Latent.Models.Training.Checkpoint.Load(path);
        var rows = new List<(string, string)>
        {
            ("checkpoint", path),
            ("model", $"{c.ModelName} ({c.ModelOptions})"),
            ("input shape", Shapes.Format(c.InputShape)),
            ("status", c.Status),
            ("position", $"{c.EpochsCompleted} epochs done, step {c.StepInEpoch} of the next, {c.GlobalStep} steps in all"),
            ("optimizer", string.Join("; ", c.Optimizers.Select(o => $"{(o.Phase is null ? "" : o.Phase + " ")}{o.Kind}, {o.StepCount} steps")) + (c.Schedule is null ? "" : $", schedule {c.Schedule}") + (c.Stage is null ? "" : $", stage {c.Stage}")),
            ("batch / seed", $"{c.BatchSize} / {c.Seed}"),
        };
        if (c.History.Count > 0) rows.Add(("last epoch", TrainingProgressView.Terms(c.History[^1].Train)));
        Table(ctx, rows);
    }
}
