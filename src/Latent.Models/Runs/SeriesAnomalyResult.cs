namespace Latent.Models.Runs;

/// <summary>Anomaly scores of a time series under a model trained on its windows: per window and per time step.</summary>
/// <param name="Steps">Per-step scores (the mean of the covering windows' errors), threshold, flags and, with per-step labels, ROC-AUC and average precision.</param>
/// <param name="WindowScores">Reconstruction error Σ (x − x̂)² of every window, [windows].</param>
/// <param name="WindowStarts">First step of every window, [windows].</param>
/// <param name="Window">Steps per window.</param>
/// <param name="Labels">Per-step labels (≠ 0 = anomalous step), or null.</param>
public sealed record SeriesAnomalyResult(AnomalyResult Steps, float[] WindowScores, int[] WindowStarts, int Window, int[]? Labels);
