using System.Diagnostics;
using System.Globalization;
using System.Text;
using Latent.Core;
using Latent.Data;
using Latent.Data.Generated;
using Latent.Data.Series;
using Latent.Data.Tables;
using Latent.Models;
using Latent.Models.Autoencoder;
using Latent.Models.Metrics;
using Latent.Models.Runs;
using Latent.Models.Sequence;
using Latent.Models.Training;
using Latent.Viz.Svg;

namespace Latent.Quality.Sections;

/// <summary>
/// Time-series anomaly detection per time step (the task of the Keras "timeseries anomaly detection" example, LSTM-AD of
/// Malhotra et al. 2016). Two series of 6,000 steps, each with 3,000 clean training steps followed by 3,000 test steps holding 12 injected events
/// with ground truth per step: <see cref="AnomalySeries"/> (two sines + noise; spikes, level shifts, frequency changes; seed 11) and
/// <see cref="PendulumSeries"/> (damped driven pendulum, angle and velocity; friction, drive-loss and drive-frequency faults; seed 12).
/// Each column is standardised on the training steps. Windows of 48 steps: training windows every 4 steps, scored windows
/// every step; a step's score is the mean reconstruction error Σ(x − x̂)² of the windows covering it. Methods on the same windows:
/// lstm-ae and lstm-vae (hidden 32, code 8, Gaussian output, Adam 5e-3, batch 32, 30 epochs, seed 1) and sliding-window PCA
/// with 8 components (the baseline). ts_window_auc / ts_pca_auc / ts_lstm_vae_auc: per-point ROC-AUC on the generated series'
/// test steps; ts_pendulum_*: the same on the pendulum. Settings were fixed before the reported run (a trial used other
/// seeds). Settings (--set ts.KEY=…): epochs (quick 2, full 30). With --img writes timeseries_scores.svg.
/// </summary>
internal static class TimeSeriesSection
{
    private const int Length = 6000, Clean = 3000, Events = 12, Window = 48, TrainStride = 4, Code = 8, Hidden = 32, Batch = 32;
    private const float Lr = 5e-3f;

    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        int epochs = o.GetInt("ts.epochs", 2, 30);
        ulong genSeed = (ulong)o.GetInt("ts.seed", 11, 11);
        BenchContext.Log($"\n== Time-series anomalies per step: windows of {Window} (train stride {TrainStride}, scored every step); lstm-ae / lstm-vae hidden {Hidden} code {Code}, " +
                         $"{epochs} epochs, Adam {Lr.ToString(CultureInfo.InvariantCulture)}, batch {Batch}; PCA {Code} components");
        var generated = Evaluate("generated", AnomalySeries.Generate(Length, Clean, Events, genSeed), AnomalySeries.Kinds, epochs, ctx);
        var pendulum = Evaluate("pendulum", PendulumSeries.Generate(Length, Clean, Events, genSeed + 1), PendulumSeries.Kinds, epochs, ctx);

        ctx.Result("ts_window_auc", generated.Auc["lstm-ae"], new Measure("ROC-AUC", "lstm-ae, per-point ROC-AUC on the generated series with injected spikes, level shifts and frequency changes", HigherIsBetter: true, Headline: true));
        ctx.Result("ts_pca_auc", generated.Auc["pca"], new Measure("ROC-AUC", "sliding-window PCA on the same windows, per-point ROC-AUC on the generated series", HigherIsBetter: true, Headline: true));
        ctx.Result("ts_lstm_vae_auc", generated.Auc["lstm-vae"], new Measure("ROC-AUC", "lstm-vae, per-point ROC-AUC on the generated series", HigherIsBetter: true));
        ctx.Result("ts_pendulum_lstm_auc", pendulum.Auc["lstm-ae"], new Measure("ROC-AUC", "lstm-ae, per-point ROC-AUC on the damped driven pendulum with faults", HigherIsBetter: true, Headline: true));
        ctx.Result("ts_pendulum_pca_auc", pendulum.Auc["pca"], new Measure("ROC-AUC", "sliding-window PCA, per-point ROC-AUC on the pendulum", HigherIsBetter: true, Headline: true));
        ctx.Result("ts_pendulum_lstm_vae_auc", pendulum.Auc["lstm-vae"], new Measure("ROC-AUC", "lstm-vae, per-point ROC-AUC on the pendulum", HigherIsBetter: true));
        ctx.Result("ts_lstm_train_s", generated.TrainSeconds["lstm-ae"], new Measure("s", "lstm-ae training time on the generated series (wall)"));
        if (o.ImageDir is not null) File.WriteAllText(Path.Combine(o.ImageDir, "timeseries_scores.svg"), Picture(generated, pendulum));
    }

    private sealed record SetResult(string Name, TimeSeries Test, Dictionary<string, float[]> StepScores, Dictionary<string, double> Auc, Dictionary<string, double> TrainSeconds);

    private static SetResult Evaluate(string name, TimeSeries series, string[] kinds, int epochs, BenchContext ctx)
    {
        var st = Standardizer.Fit(series.Slice(0, Clean).AsRows());
        var scaled = series.Standardise(st);
        var trainPart = scaled.Slice(0, Clean);
        var testPart = scaled.Slice(Clean, Length - Clean);
        var train = SeriesWindows.Windows(trainPart, Window, TrainStride, name);
        int[] shape = [Window, series.ColumnCount];
        BenchContext.Log($"{name}: {series.Description}; {train.Count} training windows [{Window},{series.ColumnCount}], {testPart.Labels!.Count(l => l != 0)} anomalous of {testPart.Length} test steps");

        var scores = new Dictionary<string, float[]>();
        var seconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        var pca = Latent.Models.Pca.Pca.Fit(train, Code);
        seconds["pca"] = clock.Elapsed.TotalSeconds;
        scores["pca"] = SeriesAnomalyScoring.Scores(pca, testPart, Window, 1).StepScores;
        foreach (var model in new AutoencoderModel[]
        {
            new LstmAutoencoder(new LstmAeOptions { Hidden = Hidden, CodeSize = Code, Output = OutputDistribution.Gaussian }, shape, new Rng(1)),
            new LstmVae(new LstmVaeOptions { Hidden = Hidden, CodeSize = Code, Output = OutputDistribution.Gaussian }, shape, new Rng(1)),
        })
        {
            clock.Restart();
            var result = Trainer.Fit(model, train, null, new TrainingOptions { Epochs = epochs, BatchSize = Batch, LearningRate = Lr, Seed = 1, CheckpointEvery = 0 });
            seconds[model.Name] = clock.Elapsed.TotalSeconds;
            BenchContext.Log($"  {model.Name}: loss {result.History[0].TrainValue("total"):F2} -> {result.History[^1].TrainValue("total"):F2} in {seconds[model.Name]:F0} s");
            model.Eval();
            scores[model.Name] = SeriesAnomalyScoring.Scores(model, testPart, Window, 1).StepScores;
        }

        var labels = testPart.Labels!;
        var table = new TextTable(["method", "ROC-AUC (all)", .. kinds.Select(k => $"ROC-AUC ({k})"), "average precision", "fit s"]);
        var auc = new Dictionary<string, double>();
        foreach (var method in new[] { "lstm-ae", "lstm-vae", "pca" })
        {
            var s = scores[method];
            auc[method] = AnomalyMetrics.RocAuc(s, labels.Select(l => l != 0).ToArray());
            var perKind = kinds.Select((_, k) => KindAuc(s, labels, k + 1)).ToArray();
            double ap = AnomalyMetrics.AveragePrecision(s, labels.Select(l => l != 0).ToArray());
            table.Add([method, F(auc[method]), .. perKind.Select(F), F(ap), seconds[method].ToString("F0", CultureInfo.InvariantCulture)]);
        }
        ctx.Print(table, name, $"{name}: per-point ROC-AUC on the {testPart.Length} test steps (per kind: that kind's steps against the normal steps)");
        return new SetResult(name, testPart, scores, auc, seconds);
    }

    // ROC-AUC of the steps of one kind against the normal steps (other kinds left out).
    private static double KindAuc(float[] scores, int[] labels, int kind)
    {
        var idx = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 0 || labels[i] == kind).ToArray();
        return AnomalyMetrics.RocAuc(idx.Select(i => scores[i]).ToArray(), idx.Select(i => labels[i] != 0).ToArray());
    }

    // Per data set two panels: the first column with the true anomalous steps marked above it, and the step scores of
    // lstm-ae and PCA, each divided by its median over the test steps (log scale).
    private static string Picture(params SetResult[] sets)
    {
        const int w = 900, h = 260;
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h * 2 * sets.Length}\" viewBox=\"0 0 {w} {h * 2 * sets.Length}\">");
        int panel = 0;
        foreach (var set in sets)
        {
            var test = set.Test;
            var x = Enumerable.Range(0, test.Length).Select(i => (double)i).ToArray();
            var values = Enumerable.Range(0, test.Length).Select(i => (double)test[i, 0]).ToArray();
            double top = values.Max() + 0.5;
            var truth = test.Labels!.Select(l => l != 0 ? top : double.NaN).ToArray();
            var series = new LineChart { Title = $"{set.Name}: test steps ({test.Columns[0]}, standardised) and true anomalies", XLabel = "step", Width = w, Height = h }
                .AddSeries(test.Columns[0], x, values).AddSeries("true anomaly", x, truth);
            var scores = new LineChart { Title = $"{set.Name}: step score / its median (ROC-AUC lstm-ae {F(set.Auc["lstm-ae"])}, PCA {F(set.Auc["pca"])})", XLabel = "step", Width = w, Height = h, LogY = true };
            foreach (var method in new[] { "lstm-ae", "pca" })
            {
                var s = set.StepScores[method];
                double median = s.Order().ElementAt(s.Length / 2);
                scores.AddSeries(method, x, s.Select(v => v / median).ToArray());
            }
            foreach (var chart in new[] { series, scores })
                sb.Append($"<g transform=\"translate(0,{h * panel++})\">").Append(chart.ToSvg()).Append("</g>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
