using System.CommandLine;
using System.Globalization;
using Latent.Models.IO;
using Latent.Models.Metrics;
using Latent.Models.Runs;

namespace Latent.Cli.Commands;

/// <summary><c>latent pca</c> and <c>latent compare</c>: the PCA baseline.</summary>
internal static class BaselineCommands
{
    public static Command Pca(Func<ParseResult, CliContext> context)
    {
        var code = new Option<int>("--code") { Description = "Number of principal components", Required = true };
        var data = CommonOptions.Data("Data (default sprites): sprites, mnist, fashion-mnist or a path");
        var label = CommonOptions.Label();
        var size = CommonOptions.ImageSize();
        var samples = CommonOptions.Samples();
        var json = CommonOptions.Json();
        var cmd = new Command("pca", "Fit PCA with N components on the training split and report its reconstruction error on the test split (images: SSE per image, MSE, BCE; tables: SSE and MSE per row).\n\nExample:\n  latent pca --code 30 --data mnist --json");
        CommonOptions.Add(cmd, code, data, label, size, samples, json);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var loaded = DataSource.Load(new DataRequest
            {
                Source = p.GetValue(data) ?? "sprites", DataDir = ctx.DataDir, LabelColumn = p.GetValue(label), ImageSize = p.GetValue(size),
                Samples = p.GetValue(samples) ?? 5000, Seed = ctx.Seed,
            });
            int k = p.GetValue(code);
            if (k < 1 || k > loaded.Train.SampleSize) throw new ArgumentException($"--code {k} must be in 1..{loaded.Train.SampleSize} (the number of features)");
            var pca = Latent.Models.Pca.Pca.Fit(loaded.Train, k);
            var metrics = ModelEvaluation.Reconstruction(pca, loaded.Test);
            if (p.GetValue(json))
                ctx.Out.WriteLine(JsonOutput.Object(w =>
                {
                    w.WriteString("model", "pca");
                    w.WriteNumber("code_size", k);
                    w.WriteString("data", loaded.Description.Source);
                    JsonOutput.Numbers(w, metrics);
                }));
            else
            {
                ctx.Out.WriteLine($"pca with {k} components on {loaded.Description.Source} (test split, {loaded.Test.Count} samples)");
                foreach (var (name, v) in metrics.Skip(1)) ctx.Out.WriteLine($"{name,-15}{v.ToString("G6", CultureInfo.InvariantCulture)}");
            }
            return 0;
        }));
        return cmd;
    }

    public static Command Compare(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var json = CommonOptions.Json();
        var cmd = new Command("compare", "Compare a trained model with PCA at the same code size (fitted on the training split), side by side.\n\nExample:\n  latent compare runs/mnist --data mnist");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, json);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var (model, loaded, set) = md.Load(p, ctx);
            int k = Math.Min(model.CodeSize, loaded.Train.SampleSize);
            var pca = Latent.Models.Pca.Pca.Fit(loaded.Train, k);
            var a = ModelEvaluation.Reconstruction(model, set);
            var b = ModelEvaluation.Reconstruction(pca, set);
            if (p.GetValue(json))
            {
                ctx.Out.WriteLine(JsonOutput.Object(w =>
                {
                    w.WriteNumber("code_size", model.CodeSize);
                    w.WriteStartObject(model.Name);
                    JsonOutput.Numbers(w, a.Skip(1));
                    w.WriteEndObject();
                    w.WriteStartObject("pca");
                    JsonOutput.Numbers(w, b.Skip(1));
                    w.WriteEndObject();
                }));
                return 0;
            }
            string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
            ctx.Out.WriteLine($"code size {model.CodeSize}, {set.Count} samples ({p.GetValue(md.Split)} split of {loaded.Description.Source})");
            ctx.Out.WriteLine($"{"metric",-16}{model.Name,14}{"pca",14}");
            for (int i = 1; i < a.Count; i++) ctx.Out.WriteLine($"{a[i].Key,-16}{F(a[i].Value),14}{F(b[i].Value),14}");
            return 0;
        }));
        return cmd;
    }
}
