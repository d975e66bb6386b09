using System.CommandLine;
using System.Globalization;
using System.Text;
using Latent.Core.IO;
using Latent.Data;
using Latent.Data.Series;
using Latent.Data.Tables;
using Latent.Models.Anomaly;
using Latent.Models.IO;
using Latent.Models.Metrics;
using Latent.Models.Runs;

namespace Latent.Cli.Commands;

/// <summary><c>latent anomaly</c>.</summary>
internal static class AnomalyCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var dir = new Argument<string?>("MODEL_DIR")
        {
            Description = "A folder written by 'latent train' (model.json) or by 'latent anomaly --save' (detector.json). " +
                          "Leave it out to train the default detector on --data",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var data = CommonOptions.Data("Table to score (with MODEL_DIR); without MODEL_DIR: the training table of the default detector (labels ignored)");
        var test = new Option<string?>("--test") { Description = "Without MODEL_DIR: the table to score with the detector trained on --data (default: --data itself)" };
        var label = CommonOptions.Label();
        var contamination = new Option<double?>("--contamination")
        {
            Description = "Expected fraction of anomalies p: rows above the (1-p) quantile of the training scores are flagged " +
                          "(default 0.05 for a model folder, 0.1 for the detector, as PyOD; a saved detector keeps its own unless given)",
        };
        var score = new Option<string>("--score")
        {
            Description = "With a model folder. error: squared reconstruction error Σ(x − x̂)² (default). gaussian: reconstruction error in units of the " +
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
        var save = new Option<string?>("--save") { Description = "Without MODEL_DIR: save the trained detector to this folder (score new rows later with 'latent anomaly DIR')" };
        var stream = new Option<bool>("--stream")
        {
            Description = "With a detector folder: read CSV rows from standard input and write one line 'score,flag' per row as it arrives " +
                          "(flag 1 = above the detector's stored threshold); a header line is skipped and its label column dropped",
        };
        var follow = new Option<string?>("--follow") { Description = "Like --stream, but read a CSV file and keep reading the rows appended to it until Ctrl+C" };
        var window = new Option<int?>("--window")
        {
            Description = "Score a CSV time series per time step: without MODEL_DIR, train the default detector on windows of N steps of --data; " +
                          "with a model trained on windows (latent train --window N) the model's window is used and this may be left out",
        };
        var stride = CommonOptions.Stride("Steps between the starts of the scored windows (default 1: every window; a step's score is the mean over the windows covering it)");
        var json = CommonOptions.Json();
        var outFile = new Option<string?>("--out", "-o") { Description = "CSV with row, score, flag (and label); for a time series one row per step: step, score, flag (and label)" };
        var cmd = new Command("anomaly",
            "Score every row as an anomaly, flag the ones above the threshold, and report ROC-AUC / average precision when labels are present (label != 0 = anomaly). " +
            "Without a model folder, trains the default detector (an autoencoder detector chosen on held-out benchmark sets) on --data first.\n\n" +
            "Examples:\n  latent anomaly --data train.csv --test test.csv --label y --json\n  latent anomaly --data train.csv --save detector\n" +
            "  tail -f events.csv | latent anomaly detector --stream\n" +
            "  latent anomaly runs/tab --data test.csv --label y --contamination 0.1 --out scores.csv\n" +
            "  latent anomaly runs/tab --data test.csv --label y --score gaussian\n" +
            "  latent anomaly runs/ts --data series.csv --label label --out steps.csv    # model trained with --window: scores per time step\n" +
            "  latent anomaly --data normal.csv --test series.csv --window 32 --json      # default detector on windows");
        CommonOptions.Add(cmd, dir, data, test, label, contamination, score, reference, save, stream, follow, window, stride, json, outFile);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            string? modelDir = p.GetValue(dir);
            bool streaming = p.GetValue(stream) || p.GetValue(follow) is not null;
            if (p.GetValue(stream) && p.GetValue(follow) is not null) throw new ArgumentException("--stream and --follow: give one of them");
            if (p.GetValue(contamination) is double c && !(c is > 0 and < 0.5)) throw new ArgumentException($"--contamination {c} must be in (0, 0.5)");
            if (p.GetValue(window) is < 1) throw new ArgumentException($"--window {p.GetValue(window)} must be at least 1");
            if (p.GetValue(stride) is < 1) throw new ArgumentException($"--stride {p.GetValue(stride)} must be at least 1");
            if (modelDir is not null && ModelFile.Exists(modelDir) && ModelFile.ReadManifest(modelDir).Data?.Window is int trainedWindow)
            {
                if (streaming || p.GetValue(test) is not null || p.GetValue(save) is not null || p.GetValue(score) != "error" || p.GetValue(reference) is not null)
                    throw new ArgumentException("--stream, --follow, --test, --save, --score and --reference do not apply to a model trained on windows of a time series");
                if (p.GetValue(window) is int w && w != trainedWindow)
                    throw new ArgumentException($"--window {w}: the model in '{modelDir}' was trained on windows of {trainedWindow} steps");
                var (seriesModel, seriesManifest) = ModelFile.Load(modelDir);
                string path = p.GetValue(data) ?? seriesManifest.Data!.Source;
                var series = TimeSeries.LoadCsv(path, p.GetValue(label) ?? seriesManifest.Data!.LabelColumn);
                var result = SeriesAnomalyScoring.Score(seriesModel, seriesManifest, series, p.GetValue(stride) ?? 1, p.GetValue(contamination) ?? 0.05);
                ReportSteps(ctx, p, result, json, outFile, null);
                return 0;
            }
            if (p.GetValue(window) is int win && modelDir is null && !streaming)
            {
                if (p.GetValue(data) is not { } seriesPath) throw new ArgumentException("--window needs --data SERIES.csv (the series to train the detector on)");
                if (p.GetValue(score) != "error" || p.GetValue(reference) is not null) throw new ArgumentException("--score and --reference apply to autoencoder model folders");
                ReportSteps(ctx, p, DetectSeries(ctx, seriesPath, p.GetValue(test), p.GetValue(label), win, p.GetValue(stride) ?? 1, p.GetValue(contamination), p.GetValue(save), p.GetValue(json)),
                    json, outFile, null);
                return 0;
            }
            if (p.GetValue(window) is not null || p.GetValue(stride) is not null)
                throw new ArgumentException(modelDir is null ? "--window and --stride do not apply to --stream/--follow"
                    : $"--window and --stride: the model in '{modelDir}' was not trained on windows of a time series (latent train --window N)");
            if (modelDir is not null && AnomalyDetector.Exists(modelDir))
            {
                if (p.GetValue(test) is not null || p.GetValue(save) is not null) throw new ArgumentException("--test and --save are only used without MODEL_DIR (to train a detector)");
                if (p.GetValue(score) != "error" || p.GetValue(reference) is not null) throw new ArgumentException("--score and --reference apply to autoencoder model folders, not to a detector");
                var detector = AnomalyDetector.Load(modelDir);
                if (streaming) return Stream(ctx, detector, p.GetValue(follow), p.GetValue(label), p.GetValue(json));
                if (p.GetValue(data) is not { } path) throw new ArgumentException("--data TABLE is required to score with a detector folder (or --stream)");
                var rows = CsvTable.Load(path, p.GetValue(label));
                Report(ctx, p, Detect(detector, rows, p.GetValue(contamination)), rows, json, outFile, null);
                return 0;
            }
            if (streaming) throw new ArgumentException(modelDir is null
                ? "--stream needs a detector folder: train one with 'latent anomaly --data TRAIN.csv --save DIR'"
                : $"--stream needs a detector folder (detector.json); '{modelDir}' is not one: train one with 'latent anomaly --data TRAIN.csv --save DIR'");
            if (modelDir is null)
            {
                if (p.GetValue(data) is not { } trainPath) throw new ArgumentException("give MODEL_DIR, or --data TRAIN.csv to train the default detector");
                if (p.GetValue(score) != "error" || p.GetValue(reference) is not null) throw new ArgumentException("--score and --reference apply to autoencoder model folders");
                var train = LoadTrain(trainPath, p.GetValue(label));
                var rows = p.GetValue(test) is { } testPath ? CsvTable.Load(testPath, p.GetValue(label)) : train;
                if (rows.SampleSize != train.SampleSize)
                    throw new ArgumentException($"--test '{p.GetValue(test)}' has {rows.SampleSize} feature columns, --data '{trainPath}' has {train.SampleSize}");
                var options = new AnomalyDetectorOptions { Seed = ctx.Seed == 0 ? 1 : ctx.Seed };
                if (p.GetValue(contamination) is double pc) options = options with { Contamination = pc };
                if (!ctx.Quiet && !p.GetValue(json)) ctx.Err.WriteLine($"training the default detector on {train.Count} rows x {train.SampleSize} features: {options.Describe()}");
                var detector = new AnomalyDetector(options).Fit(train.X, train.SampleSize);
                if (p.GetValue(save) is { } savePath) detector.Save(savePath);
                Report(ctx, p, Detect(detector, rows, null), rows, json, outFile, w =>
                {
                    w.WriteNumber("train_rows", train.Count);
                    w.WriteString("detector", options.Describe());
                    if (p.GetValue(save) is { } s) w.WriteString("saved", s);
                });
                return 0;
            }
            if (p.GetValue(test) is not null || p.GetValue(save) is not null) throw new ArgumentException("--test and --save are only used without MODEL_DIR (to train a detector)");
            double modelContamination = p.GetValue(contamination) ?? 0.05;
            var (model, manifest, loaded) = CommonOptions.LoadModelAndData(ctx, modelDir, p.GetValue(data), p.GetValue(label), null, null);
            var set = loaded.Split("all");
            AnomalyResult r;
            if (p.GetValue(score) == "gaussian")
            {
                var refRequest = DataSource.RequestFor(manifest, p.GetValue(reference), ctx.DataDir);
                if (p.GetValue(label) is { } l) refRequest = refRequest with { LabelColumn = l };
                var refLoaded = DataSource.LoadFor(refRequest, manifest);
                var refSet = p.GetValue(reference) is null ? refLoaded.Train : refLoaded.Split("all");
                r = AnomalyScoring.ScoreGaussian(model, refSet, set, modelContamination);
            }
            else
            {
                if (p.GetValue(reference) is not null) throw new ArgumentException("--reference is only used with --score gaussian");
                r = AnomalyScoring.Score(model, manifest, set, modelContamination);
            }
            Report(ctx, p, r, set, json, outFile, null, modelContamination);
            return 0;
        }));
        return cmd;
    }

    /// <summary>
    /// The default detector on windows of a series: trained on the windows of <paramref name="trainPath"/> (standardised per
    /// column on that series), scoring the windows of <paramref name="testPath"/> (or the training series), each window
    /// flattened to one row of N·C numbers; a step's score is the mean over the windows covering it.
    /// </summary>
    private static SeriesAnomalyResult DetectSeries(CliContext ctx, string trainPath, string? testPath, string? label, int window, int stride,
        double? contamination, string? save, bool json)
    {
        var train = LoadTrainSeries(trainPath, label);
        var scored = testPath is null ? train : TimeSeries.LoadCsv(testPath, label);
        if (scored.ColumnCount != train.ColumnCount)
            throw new ArgumentException($"--test '{testPath}' has {scored.ColumnCount} series columns, --data '{trainPath}' has {train.ColumnCount}");
        var st = Standardizer.Fit(train.AsRows());
        var trainWindows = SeriesWindows.Windows(train.Standardise(st), window, stride);
        var options = new AnomalyDetectorOptions { Seed = ctx.Seed == 0 ? 1 : ctx.Seed };
        if (contamination is double pc) options = options with { Contamination = pc };
        if (!ctx.Quiet && !json) ctx.Err.WriteLine($"training the default detector on {trainWindows.Count} windows of {window} steps x {train.ColumnCount} column(s): {options.Describe()}");
        var detector = new AnomalyDetector(options).Fit(trainWindows.X, trainWindows.SampleSize);
        if (save is not null) detector.Save(save);
        var standardised = scored.Standardise(st);
        var starts = SeriesWindows.Starts(scored.Length, window, stride, $"series '{Path.GetFileName(scored.Name)}'");
        var windows = SeriesWindows.Windows(standardised, starts, window);
        var windowScores = detector.DecisionFunction(windows.X, windows.SampleSize);
        var steps = SeriesWindows.StepScores(windowScores, starts, window, scored.Length);
        var flags = steps.Select(s => s > detector.Threshold).ToArray();
        double? auc = null, ap = null;
        if (scored.Labels is { } labels)
        {
            var truth = labels.Select(l => l != 0).ToArray();
            if (truth.Any(b => b) && truth.Any(b => !b)) { auc = AnomalyMetrics.RocAuc(steps, truth); ap = AnomalyMetrics.AveragePrecision(steps, truth); }
        }
        var result = new AnomalyResult(steps, detector.Threshold, $"the detector's training window scores ({detector.Contamination:G3} contamination)", flags, auc, ap);
        return new SeriesAnomalyResult(result, windowScores, starts, window, scored.Labels);
    }

    /// <summary>A training series: its label column (--label, or one named "label") is dropped when present, never required.</summary>
    private static TimeSeries LoadTrainSeries(string path, string? label)
    {
        bool hasLabel = label is not null && CsvTable.ReadHeader(path).Any(h => h.Equals(label, StringComparison.OrdinalIgnoreCase));
        return TimeSeries.LoadCsv(path, hasLabel ? label : null);
    }

    /// <summary>Per-step output: CSV rows step, score, flag (and label); JSON with the per-point metrics and the step scores.</summary>
    private static void ReportSteps(CliContext ctx, ParseResult p, SeriesAnomalyResult s, Option<bool> json, Option<string?> outFile, Action<System.Text.Json.Utf8JsonWriter>? extra)
    {
        var r = s.Steps;
        if (p.GetValue(outFile) is { } path)
        {
            var sb = new StringBuilder("step,score,flag" + (s.Labels is null ? "" : ",label") + "\n");
            for (int i = 0; i < r.Scores.Length; i++)
            {
                sb.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Scores[i].ToString("R", CultureInfo.InvariantCulture))
                  .Append(',').Append(r.Flags[i] ? '1' : '0');
                if (s.Labels is { } l) sb.Append(',').Append(l[i].ToString(CultureInfo.InvariantCulture));
                sb.Append('\n');
            }
            AtomicFile.WriteAllText(path, sb.ToString());
        }
        if (p.GetValue(json))
        {
            ctx.Out.WriteLine(JsonOutput.Object(w =>
            {
                w.WriteNumber("steps", r.Scores.Length);
                w.WriteNumber("windows", s.WindowScores.Length);
                w.WriteNumber("window", s.Window);
                w.WriteNumber("flagged", r.FlaggedCount);
                JsonOutput.Number(w, "threshold", r.Threshold);
                w.WriteString("threshold_source", r.ThresholdSource);
                if (r.RocAuc is double auc) w.WriteNumber("roc_auc", auc); else w.WriteNull("roc_auc");
                if (r.AveragePrecision is double ap) w.WriteNumber("average_precision", ap); else w.WriteNull("average_precision");
                if (s.Labels is { } labels) w.WriteNumber("anomalies", labels.Count(l => l != 0));
                extra?.Invoke(w);
                w.WriteStartArray("step_scores");
                foreach (var v in r.Scores) w.WriteNumberValue(v);
                w.WriteEndArray();
            }));
        }
        else
        {
            ctx.Out.WriteLine($"steps              {r.Scores.Length} ({s.WindowScores.Length} windows of {s.Window} steps)");
            ctx.Out.WriteLine($"threshold          {r.Threshold.ToString("G6", CultureInfo.InvariantCulture)} ({r.ThresholdSource})");
            ctx.Out.WriteLine($"flagged steps      {r.FlaggedCount}");
            if (r.RocAuc is double auc) ctx.Out.WriteLine($"roc_auc            {auc.ToString("F4", CultureInfo.InvariantCulture)} (per step)");
            if (r.AveragePrecision is double ap) ctx.Out.WriteLine($"average_precision  {ap.ToString("F4", CultureInfo.InvariantCulture)} (per step)");
            if (s.Labels is null) ctx.Out.WriteLine("(no labels: ROC-AUC and average precision need a label column marking anomalous steps)");
        }
    }

    /// <summary>The training table: its label column (--label, or one named "label") is dropped when present, never required.</summary>
    private static Dataset LoadTrain(string path, string? label)
    {
        bool hasLabel = label is not null && CsvTable.ReadHeader(path).Any(h => h.Equals(label, StringComparison.OrdinalIgnoreCase));
        return CsvTable.Load(path, hasLabel ? label : null);
    }

    /// <summary>Scores <paramref name="rows"/> with the detector; a given contamination replaces the stored threshold by that quantile of the training scores.</summary>
    private static AnomalyResult Detect(AnomalyDetector detector, Dataset rows, double? contamination)
    {
        var scores = detector.DecisionFunction(rows.X, rows.SampleSize);
        double threshold = detector.Threshold;
        string source = $"the detector's training scores ({detector.Contamination:G3} contamination)";
        if (contamination is double c && c != detector.Contamination)
        {
            if (detector.DecisionScores.Length == 0)
                throw new ArgumentException("--contamination: a loaded detector keeps the threshold it was saved with (it stores no training scores); leave --contamination out");
            threshold = AnomalyMetrics.Quantile<float>(detector.DecisionScores.Order().ToArray(), 1 - c);
            source = $"the detector's training scores ({c:G3} contamination)";
        }
        return AnomalyScoring.Finish(scores, threshold, source, rows);
    }

    private static void Report(CliContext ctx, ParseResult p, AnomalyResult r, Dataset set, Option<bool> json, Option<string?> outFile,
        Action<System.Text.Json.Utf8JsonWriter>? extra, double? contamination = null)
    {
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
                if (set.Labels is { } labels) w.WriteNumber("anomalies", labels.Count(l => l != 0));
                extra?.Invoke(w);
            }));
        }
        else
        {
            ctx.Out.WriteLine($"rows               {r.Scores.Length}");
            string quantile = contamination is double c ? $"the {1 - c:P1} quantile of " : "";
            ctx.Out.WriteLine($"threshold          {r.Threshold.ToString("G6", CultureInfo.InvariantCulture)} ({quantile}{r.ThresholdSource})");
            ctx.Out.WriteLine($"flagged            {r.FlaggedCount}");
            if (r.RocAuc is double auc) ctx.Out.WriteLine($"roc_auc            {auc.ToString("F4", CultureInfo.InvariantCulture)}");
            if (r.AveragePrecision is double ap) ctx.Out.WriteLine($"average_precision  {ap.ToString("F4", CultureInfo.InvariantCulture)}");
            if (set.Labels is null) ctx.Out.WriteLine("(no labels: ROC-AUC and average precision need a label column)");
        }
    }

    /// <summary>
    /// One line out per row in: "score,flag" (or a JSON object with --json), flushed at once. Rows come from standard
    /// input (--stream) or from a file that is read to its end and then polled for appended rows until Ctrl+C (--follow).
    /// </summary>
    private static int Stream(CliContext ctx, AnomalyDetector detector, string? followPath, string? label, bool json)
    {
        int d = detector.Features;
        int labelIndex = -1;
        bool first = true;
        long lineNo = 0;
        var values = new float[d];
        void Line(string line)
        {
            lineNo++;
            if (line.Trim().Length == 0) return;
            var cells = line.Split(',');
            if (first)
            {
                first = false;
                if (cells.Any(cell => !double.TryParse(cell.Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                {
                    // A header: remember the label column (--label, or "label") and skip the line.
                    string want = label ?? CsvTable.DefaultLabelColumn;
                    labelIndex = Array.FindIndex(cells, h => h.Trim().Trim('"').Equals(want, StringComparison.OrdinalIgnoreCase));
                    if (label is not null && labelIndex < 0) throw new ArgumentException($"--label '{label}' is not in the header line [{line.Trim()}]");
                    return;
                }
            }
            int expected = d + (labelIndex >= 0 ? 1 : 0);
            if (cells.Length != expected) throw new ArgumentException($"input line {lineNo}: expected {expected} comma-separated values, found {cells.Length}");
            for (int c = 0, j = 0; c < cells.Length; c++)
            {
                if (c == labelIndex) continue;
                if (!float.TryParse(cells[c].Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new ArgumentException($"input line {lineNo}, column {c + 1}: expected a finite number, found '{cells[c].Trim()}'");
                values[j++] = v;
            }
            float s = detector.DecisionFunction(values, d)[0];
            int flag = s > detector.Threshold ? 1 : 0;
            string score = s.ToString("R", CultureInfo.InvariantCulture);
            ctx.Out.WriteLine(json ? $"{{\"score\":{score},\"flag\":{flag}}}" : $"{score},{flag}");
            ctx.Out.Flush();
        }

        if (followPath is null)
        {
            var input = ctx.Hooks.Input ?? Console.In;
            string? line;
            while ((line = input.ReadLine()) is not null)
            {
                if (ctx.Hooks.Cancellation.IsCancellationRequested) break;
                Line(line);
            }
            return 0;
        }
        if (!File.Exists(followPath)) throw new FileNotFoundException($"--follow '{followPath}' not found", followPath);
        using var file = new FileStream(followPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file);
        var pending = new StringBuilder();
        var buffer = new char[4096];
        while (!ctx.Hooks.Cancellation.IsCancellationRequested)
        {
            int n = reader.Read(buffer, 0, buffer.Length);
            if (n == 0)
            {
                // At the end for now: wait for the writer to append (a partial last line stays pending).
                ctx.Hooks.Cancellation.WaitHandle.WaitOne(100);
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] == '\n') { Line(pending.ToString().TrimEnd('\r')); pending.Clear(); }
                else pending.Append(buffer[i]);
            }
        }
        return 0;
    }
}
