using System.CommandLine;
using System.Globalization;
using System.Text;
using Latent.Core.IO;
using Latent.Models.Runs;

namespace Latent.Cli.Commands;

/// <summary><c>latent anomaly</c>.</summary>
internal static class AnomalyCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var dir = CommonOptions.ModelDir();
        var data = CommonOptions.Data("Table (or other data) to score; every row is scored");
        var label = CommonOptions.Label();
        var contamination = new Option<double>("--contamination") { Description = "Expected fraction of anomalies p: rows above the (1-p) quantile of the training scores are flagged", DefaultValueFactory = _ => 0.05 };
        var score = new Option<string>("--score")
        {
            Description = "error: squared reconstruction error Σ(x − x̂)² (default). gaussian: reconstruction error in units of the " +
                          "training residual plus the code's Mahalanobis distance from the reference codes (the probabilistic-PCA " +
                          "score; catches rows far out along directions the model reconstructs well)",
            DefaultValueFactory = _ => "error",
        };
        score.AcceptOnlyFromAmong("error", "gaussian");
        var reference = new Option<string?>("--reference")
        {
            Description = "With --score gaussian: mostly-normal rows to fit the score's statistics and threshold on " +
                          "(default: the training split recorded in model.json, which must still be readable)",
        };
        var json = CommonOptions.Json();
        var outFile = new Option<string?>("--out", "-o") { Description = "CSV with row, score, flag (and label)" };
        var cmd = new Command("anomaly",
            "Score every row by its reconstruction error, flag the ones above the threshold, and report ROC-AUC / average precision when labels are present (label != 0 = anomaly).\n\n" +
            "Examples:\n  latent anomaly runs/tab --data test.csv --label y --contamination 0.1 --out scores.csv\n  latent anomaly runs/tab --data test.csv --json\n" +
            "  latent anomaly runs/tab --data test.csv --label y --score gaussian");
        CommonOptions.Add(cmd, dir, data, label, contamination, score, reference, json, outFile);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            var (model, manifest, loaded) = CommonOptions.LoadModelAndData(ctx, p.GetValue(dir)!, p.GetValue(data), p.GetValue(label), null, null);
            var set = loaded.Split("all");
            AnomalyResult r;
            if (p.GetValue(score) == "gaussian")
            {
                var refRequest = DataSource.RequestFor(manifest, p.GetValue(reference), ctx.DataDir);
                if (p.GetValue(label) is { } l) refRequest = refRequest with { LabelColumn = l };
                var refLoaded = DataSource.LoadFor(refRequest, manifest);
                var refSet = p.GetValue(reference) is null ? refLoaded.Train : refLoaded.Split("all");
                r = AnomalyScoring.ScoreGaussian(model, refSet, set, p.GetValue(contamination));
            }
            else
            {
                if (p.GetValue(reference) is not null) throw new ArgumentException("--reference is only used with --score gaussian");
                r = AnomalyScoring.Score(model, manifest, set, p.GetValue(contamination));
            }
            if (p.GetValue(outFile) is { } path)
            {
                var sb = new StringBuilder("row,score,flag" + (set.Labels is null ? "" : ",label") + "\n");
                for (int i = 0; i < r.Scores.Length; i++)
                {
                    sb.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Scores[i].ToString("R", CultureInfo.InvariantCulture))
                      .Append(',').Append(r.Flags[i] ? '1' : '0');
                    if (set.Labels is { } l) sb.Append(',').Append(l[i].ToString(CultureInfo.InvariantCulture));
                    sb.Append('\n');
                }
                AtomicFile.WriteAllText(path, sb.ToString());
            }
            if (p.GetValue(json))
            {
                ctx.Out.WriteLine(JsonOutput.Object(w =>
                {
                    w.WriteNumber("rows", r.Scores.Length);
                    w.WriteNumber("flagged", r.FlaggedCount);
                    JsonOutput.Number(w, "threshold", r.Threshold);
                    w.WriteString("threshold_source", r.ThresholdSource);
                    if (r.RocAuc is double auc) w.WriteNumber("roc_auc", auc); else w.WriteNull("roc_auc");
                    if (r.AveragePrecision is double ap) w.WriteNumber("average_precision", ap); else w.WriteNull("average_precision");
                }));
            }
            else
            {
                ctx.Out.WriteLine($"rows               {r.Scores.Length}");
                ctx.Out.WriteLine($"threshold          {r.Threshold.ToString("G6", CultureInfo.InvariantCulture)} (the {1 - p.GetValue(contamination):P1} quantile of {r.ThresholdSource})");
                ctx.Out.WriteLine($"flagged            {r.FlaggedCount}");
                if (r.RocAuc is double auc) ctx.Out.WriteLine($"roc_auc            {auc.ToString("F4", CultureInfo.InvariantCulture)}");
                if (r.AveragePrecision is double ap) ctx.Out.WriteLine($"average_precision  {ap.ToString("F4", CultureInfo.InvariantCulture)}");
                if (set.Labels is null) ctx.Out.WriteLine("(no labels: ROC-AUC and average precision need a label column)");
            }
            return 0;
        }));
        return cmd;
    }
}
