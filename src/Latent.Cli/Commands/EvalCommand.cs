using System.CommandLine;
using System.Globalization;
using Latent.Models.Runs;

namespace Latent.Cli.Commands;

/// <summary><c>latent eval</c>.</summary>
internal static class EvalCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var md = new ModelDataOptions();
        var json = CommonOptions.Json();
        var nll = new Option<int>("--nll-samples") { Description = "Importance samples for the negative log-likelihood (models that can estimate it)" };
        var perFeature = new Option<bool>("--per-feature") { Description = "Tables: also each feature's mean squared reconstruction error (feature_j_mse)" };
        var cmd = new Command("eval",
            "Evaluate a trained model: images: SSE per image, MSE, BCE; tables: SSE and MSE per row (and per feature with --per-feature); " +
            "then the model's own loss terms (and NLL with --nll-samples).\n\n" +
            "Examples:\n  latent eval runs/demo\n  latent eval runs/mnist --data mnist --split test --json\n  latent eval runs/tab --per-feature");
        md.AddTo(cmd);
        CommonOptions.Add(cmd, json, nll, perFeature);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var (model, loaded, set) = md.Load(p, ctx);
            string which = p.GetValue(md.Split)!;
            var metrics = ModelEvaluation.Evaluate(model, set, p.GetValue(nll), perFeature: p.GetValue(perFeature));
            if (p.GetValue(json))
            {
                ctx.Out.WriteLine(JsonOutput.Object(w =>
                {
                    w.WriteString("model", model.Name);
                    w.WriteString("data", loaded.Description.Source);
                    w.WriteString("split", which);
                    JsonOutput.Numbers(w, metrics);
                }));
            }
            else
            {
                ctx.Out.WriteLine($"{model.Name} on {loaded.Description.Source} ({which} split)");
                foreach (var (k, v) in metrics) ctx.Out.WriteLine($"{k,-24} {v.ToString("G6", CultureInfo.InvariantCulture)}");
            }
            return 0;
        }));
        return cmd;
    }
}
