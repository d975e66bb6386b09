using Latent.Data;
using Latent.Models.IO;
using Latent.Models.Metrics;

namespace Latent.Models.Runs;

/// <summary>
/// Reconstruction-error anomaly detection: score = Σᵢ (xᵢ − x̂ᵢ)² per row; threshold = the (1 − p) quantile of the
/// training scores stored in model.json (or of the scored data when the file has none); labels, when present, give
/// ROC-AUC and average precision (label ≠ 0 = anomaly). <see cref="ScoreGaussian"/> uses
/// <see cref="LatentGaussianScore"/> instead (reconstruction error in units of the residual noise plus the code's
/// Mahalanobis distance), fitted on reference rows.
/// </summary>
public static class AnomalyScoring
{
    /// <summary>Scores <paramref name="data"/> (already normalised like the training data) with contamination <paramref name="contamination"/>.</summary>
    public static AnomalyResult Score(AutoencoderModel model, ModelManifest manifest, Dataset data, double contamination)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(data);
        if (!(contamination is > 0 and < 1)) throw new ArgumentException($"--contamination {contamination} must be in (0, 1)", nameof(contamination));
        var scores = Evaluation.SquaredErrorPerSample(model, data);
        double? stored = manifest.TrainingScoreQuantile(1 - contamination);
        double threshold;
        string source;
        if (stored is double t) { threshold = t; source = "training scores in model.json"; }
        else
        {
            threshold = ModelManifest.QuantileOf(TrainingRun.Quantiles(scores, TrainingRun.ScoreQuantiles), 1 - contamination);
            source = "the scored data (model.json has no training scores)";
        }
        return Finish(scores, threshold, source, data);
    }

    /// <summary>
    /// Scores <paramref name="data"/> with <see cref="LatentGaussianScore"/> fitted on <paramref name="reference"/>
    /// (mostly normal rows, normalised like the training data: usually the model's training split); the threshold is
    /// the (1 − p) quantile of the reference rows' own scores.
    /// </summary>
    public static AnomalyResult ScoreGaussian(AutoencoderModel model, Dataset reference, Dataset data, double contamination)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(data);
        if (!(contamination is > 0 and < 1)) throw new ArgumentException($"--contamination {contamination} must be in (0, 1)", nameof(contamination));
        model.Eval();
        var fitted = LatentGaussianScore.Fit(model, reference);
        var referenceScores = fitted.Score(reference);
        double threshold = ModelManifest.QuantileOf(TrainingRun.Quantiles(referenceScores, TrainingRun.ScoreQuantiles), 1 - contamination);
        return Finish(fitted.Score(data), threshold, $"the gaussian scores of the {reference.Count} reference rows", data);
    }

    /// <summary>
    /// The result for <paramref name="scores"/> [N] of the rows of <paramref name="data"/>: flags score &gt; threshold,
    /// and ROC-AUC and average precision when the rows have labels of both kinds (label ≠ 0 = anomaly).
    /// </summary>
    public static AnomalyResult Finish(float[] scores, double threshold, string source, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(data);
        var flags = scores.Select(s => s > threshold).ToArray();
        double? auc = null, ap = null;
        if (data.Labels is { } labels)
        {
            var truth = labels.Select(l => l != 0).ToArray();
            if (truth.Any(b => b) && truth.Any(b => !b))
            {
                auc = AnomalyMetrics.RocAuc(scores, truth);
                ap = AnomalyMetrics.AveragePrecision(scores, truth);
            }
        }
        return new AnomalyResult(scores, threshold, source, flags, auc, ap);
    }
}
