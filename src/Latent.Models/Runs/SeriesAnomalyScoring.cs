using Latent.Data.Series;
using Latent.Data.Tables;
using Latent.Models.IO;
using Latent.Models.Metrics;

namespace Latent.Models.Runs;

/// <summary>
/// Anomaly scores per window and per time step for a model of windows of a series (LSTM-AD, Malhotra et al. 2016): each
/// window w of N steps gets its reconstruction error e(w) = Σ (x − x̂)²; step t gets the mean of e(w) over the windows
/// that cover it (<see cref="SeriesWindows.StepScores"/>). Steps are flagged above the (1 − p) quantile of the training
/// windows' errors stored in model.json (the scale of a step score is that of a window error).
/// </summary>
public static class SeriesAnomalyScoring
{
    /// <summary>
    /// Window and step scores of <paramref name="series"/> (already standardised like the model's training data) under
    /// <paramref name="model"/>, windows of <paramref name="window"/> steps every <paramref name="stride"/> steps.
    /// </summary>
    public static (float[] WindowScores, int[] Starts, float[] StepScores) Scores(IAutoencoder model, TimeSeries series, int window, int stride)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(series);
        var starts = SeriesWindows.Starts(series.Length, window, stride, $"series '{Path.GetFileName(series.Name)}'");
        var windows = SeriesWindows.Windows(series, starts, window);
        if (!Latent.Core.Shapes.Equal(windows.SampleShape, model.InputShape))
            throw new ArgumentException($"windows of '{Path.GetFileName(series.Name)}' are {Latent.Core.Shapes.Format(windows.SampleShape)}, the model expects {Latent.Core.Shapes.Format(model.InputShape)}", nameof(series));
        var errors = Evaluation.SquaredErrorPerSample(model, windows);
        return (errors, starts, SeriesWindows.StepScores(errors, starts, window, series.Length));
    }

    /// <summary>
    /// Scores every step of the raw series <paramref name="series"/> with a model trained on windows (model.json records
    /// the window and the per-column standardisation, which is applied here and never refitted).
    /// </summary>
    public static SeriesAnomalyResult Score(AutoencoderModel model, ModelManifest manifest, TimeSeries series, int stride, double contamination)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(series);
        if (!(contamination is > 0 and < 1)) throw new ArgumentException($"--contamination {contamination} must be in (0, 1)", nameof(contamination));
        if (manifest.Data is not { Window: int window, Mean: { } mean, Std: { } std })
            throw new ArgumentException("the model was not trained on windows of a time series (model.json records no window); train with --window N", nameof(manifest));
        if (mean.Length != series.ColumnCount)
            throw new ArgumentException($"'{Path.GetFileName(series.Name)}' has {series.ColumnCount} columns, the model was trained on {mean.Length}", nameof(series));
        model.Eval();
        var (windowScores, starts, steps) = Scores(model, series.Standardise(new Standardizer(mean, std)), window, stride);
        double threshold;
        string source;
        if (manifest.TrainingScoreQuantile(1 - contamination) is double t) { threshold = t; source = "training window scores in model.json"; }
        else
        {
            threshold = ModelManifest.QuantileOf(TrainingRun.Quantiles(windowScores, TrainingRun.ScoreQuantiles), 1 - contamination);
            source = "the scored windows (model.json has no training scores)";
        }
        var flags = steps.Select(s => s > threshold).ToArray();
        double? auc = null, ap = null;
        if (series.Labels is { } labels)
        {
            var truth = labels.Select(l => l != 0).ToArray();
            if (truth.Any(b => b) && truth.Any(b => !b)) { auc = AnomalyMetrics.RocAuc(steps, truth); ap = AnomalyMetrics.AveragePrecision(steps, truth); }
        }
        return new SeriesAnomalyResult(new AnomalyResult(steps, threshold, source, flags, auc, ap), windowScores, starts, window, series.Labels);
    }
}
