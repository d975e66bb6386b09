namespace Latent.Models.Training;

/// <summary>
/// What <see cref="Trainer.Fit"/> reports after each step (<see cref="EpochEnd"/> null) and after each epoch
/// (<see cref="EpochEnd"/> set). Reported synchronously on the training thread.
/// </summary>
public sealed record TrainingProgress
{
    /// <summary>The stage reporting (<see cref="TrainingOptions.Stage"/>: "pretrain1", "prior-4x4", ...), or null for the main stage.</summary>
    public string? Stage { get; init; }

    /// <summary>0-based epoch.</summary>
    public required int Epoch { get; init; }

    /// <summary>Planned epochs.</summary>
    public required int Epochs { get; init; }

    /// <summary>Optimizer steps taken so far (global).</summary>
    public required long Step { get; init; }

    /// <summary>Planned steps in all.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>The step's loss terms (after a step), in <see cref="LossTerms.All"/> order; empty for an epoch report.</summary>
    public required IReadOnlyList<KeyValuePair<string, double>> Terms { get; init; }

    /// <summary>The finished epoch's metrics, for an epoch report; null for a step report.</summary>
    public EpochMetrics? EpochEnd { get; init; }

    /// <summary>Learning rate used by the step.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Training samples per second since this call to Fit started.</summary>
    public required double SamplesPerSecond { get; init; }

    /// <summary>Estimated time left for the remaining steps.</summary>
    public required TimeSpan Eta { get; init; }
}
