namespace Latent.NN.Optim.Scheduling;

/// <summary>torch.optim.lr_scheduler.StepLR: lr = base · γ^⌊epoch / stepSize⌋.</summary>
public sealed class StepLr : EpochLrScheduler
{
    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepLr(Optimizer optimizer, int stepSize, float gamma = 0.1f) : base(optimizer)
    {
        if (stepSize <= 0) throw new ArgumentException($"StepLr: step size {stepSize} must be positive", nameof(stepSize));
        if (!(gamma >= 0f)) throw new ArgumentException($"StepLr: gamma {gamma} must be >= 0", nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
        Apply();
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Decay factor.</summary>
    public float Gamma { get; }

    /// <inheritdoc />
    public override double LrAt(long epoch) => BaseLr * Math.Pow(Gamma, epoch / StepSize);
}
