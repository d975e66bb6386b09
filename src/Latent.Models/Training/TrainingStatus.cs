namespace Latent.Models.Training;

/// <summary>How a <see cref="Trainer.Fit"/> call ended (divergence is an exception: <see cref="TrainingDivergedException"/>).</summary>
public enum TrainingStatus
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>The validation loss stopped improving; the best weights were restored.</summary>
    EarlyStopped,

    /// <summary>The cancellation token fired; a checkpoint was saved at the end of the current step.</summary>
    Cancelled,
}
