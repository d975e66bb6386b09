namespace Latent.Models.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="Status">Completed, early-stopped or cancelled.</param>
/// <param name="EpochsCompleted">Epochs fully done (a cancelled epoch is not counted).</param>
/// <param name="Steps">Optimizer steps taken in all (including those before a resume).</param>
/// <param name="History">Per-epoch metrics, including epochs from before a resume.</param>
/// <param name="BestEpoch">1-based epoch with the lowest validation total, or 0 without validation.</param>
/// <param name="BestValidationLoss">That lowest validation total, or NaN.</param>
/// <param name="CheckpointPath">The last checkpoint written, or null when no output directory was given.</param>
public sealed record TrainingResult(
    TrainingStatus Status,
    int EpochsCompleted,
    long Steps,
    IReadOnlyList<EpochMetrics> History,
    int BestEpoch,
    double BestValidationLoss,
    string? CheckpointPath);
