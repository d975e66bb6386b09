namespace Latent.NN.Optim.Scheduling;

/// <summary>torch.optim.lr_scheduler.ExponentialLR: lr = base · γ^epoch.</summary>
public sealed class ExponentialLr : EpochLrScheduler
{
    /// <summary>Multiplies the rate by <paramref name="gamma"/> every epoch.</summary>
    public ExponentialLr(Optimizer optimizer, float gamma) : base(optimizer)
    {
        if (!(gamma >= 0f)) throw new ArgumentException($"ExponentialLr: gamma {gamma} must be >= 0", nameof(gamma));
        Gamma = gamma;
        Apply();
    }

    /// <summary>Decay factor per epoch.</summary>
    public float Gamma { get; }

    /// <inheritdoc />
    public override double LrAt(long epoch) => BaseLr * Math.Pow(Gamma, epoch);
}
