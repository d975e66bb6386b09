namespace Latent.Models.Training;

/// <summary>A cancelled training stage that cannot return its result (a prior fitted inside <see cref="IPriorModel.FitPrior"/>); its checkpoint is written.</summary>
public sealed class TrainingCancelledException : OperationCanceledException
{
    /// <summary>For a cancelled stage's result.</summary>
    public TrainingCancelledException(TrainingResult result)
        : base($"training cancelled after {result?.Steps} steps; checkpoint {result?.CheckpointPath ?? "(none)"}") =>
        Result = result ?? throw new ArgumentNullException(nameof(result));

    /// <summary>The cancelled stage's result (status <see cref="TrainingStatus.Cancelled"/>).</summary>
    public TrainingResult Result { get; }
}
