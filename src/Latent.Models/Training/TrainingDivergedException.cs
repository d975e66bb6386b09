namespace Latent.Models.Training;

/// <summary>
/// Thrown by <see cref="Trainer.Fit"/> when a loss term (or the gradient norm) becomes NaN or infinite. Nothing is
/// written after the bad step, so the last checkpoint is the last good state.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>A divergence at 1-based <paramref name="epoch"/> and global 1-based <paramref name="step"/>.</summary>
    public TrainingDivergedException(int epoch, long step, string term, double value)
        : base($"training diverged: loss term '{term}' is {value} at epoch {epoch}, step {step}; the last checkpoint is unchanged")
    {
        Epoch = epoch; Step = step; Term = term; Value = value;
    }

    /// <summary>1-based epoch of the bad step.</summary>
    public int Epoch { get; }

    /// <summary>1-based global step that produced the bad value.</summary>
    public long Step { get; }

    /// <summary>The term that went bad ("total", "kl", "gradient_norm", ...).</summary>
    public string Term { get; }

    /// <summary>Its value (NaN or ±∞).</summary>
    public double Value { get; }
}
