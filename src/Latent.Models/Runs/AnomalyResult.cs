namespace Latent.Models.Runs;

/// <summary>Anomaly scores of a table under a trained model.</summary>
/// <param name="Scores">Reconstruction error (Σ squared error) of each row, [rows].</param>
/// <param name="Threshold">Rows scoring above it are flagged.</param>
/// <param name="ThresholdSource">"training scores in model.json" or "the scored data (model.json has no training scores)".</param>
/// <param name="Flags">Whether each row is flagged.</param>
/// <param name="RocAuc">ROC-AUC of the scores against the labels (label ≠ 0 = anomaly), or null without labels or without both classes.</param>
/// <param name="AveragePrecision">Average precision likewise, or null.</param>
public sealed record AnomalyResult(float[] Scores, double Threshold, string ThresholdSource, bool[] Flags, double? RocAuc, double? AveragePrecision)
{
    /// <summary>Number of flagged rows.</summary>
    public int FlaggedCount => Flags.Count(f => f);
}
