namespace Latent.Models.Training;

/// <summary>
/// Thrown by a training stage that cannot return its result to its caller (a prior fitted inside
/// <see cref="IPriorModel.FitPrior"/>) when it was cancelled: its checkpoint is written, and <see cref="Result"/> says where.
/// </summary>
public sealed class TrainingCancelledException : OperationCanceledException
{
    /// <summary>For a cancelled stage's result.</summary>
    public TrainingCancelledException(TrainingResult result)
        : base($"training cancelled after {result?.Steps} steps; checkpoint {result?.CheckpointPath ?? "(none)"}")
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>The cancelled stage's result (status <see cref="TrainingStatus.Cancelled"/>).</summary>
    public TrainingResult Result { get; }
}
