namespace Latent.NN.Optim.Scheduling;

/// <summary>Creates learning-rate schedules by name (for the command line).</summary>
public static class Schedules
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["constant", "step", "exponential", "cosine", "plateau"];

    /// <summary>
    /// "constant", "step" (γ every <paramref name="stepSize"/> epochs), "exponential" (γ per epoch), "cosine"
    /// (to <paramref name="etaMin"/> over <paramref name="totalSteps"/> − <paramref name="warmupSteps"/> epochs) or
    /// "plateau" (factor <paramref name="gamma"/>, <paramref name="patience"/>, min lr <paramref name="etaMin"/>),
    /// case-insensitive. With <paramref name="warmupSteps"/> &gt; 0 the schedule follows a <see cref="LinearWarmup"/>
    /// (not available for "plateau").
    /// </summary>
    public static LrScheduler Create(string name, Optimizer optimizer, int totalSteps = 0, int warmupSteps = 0,
        float gamma = 0.1f, int stepSize = 0, float etaMin = 0f, int patience = 10)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (warmupSteps < 0) throw new ArgumentException($"schedule '{name}': warm-up steps {warmupSteps} must be >= 0", nameof(warmupSteps));
        string key = name.ToLowerInvariant();
        if (key == "plateau")
        {
            if (warmupSteps > 0) throw new ArgumentException("schedule 'plateau' cannot be combined with warm-up", nameof(warmupSteps));
            return new ReduceLrOnPlateau(optimizer, factor: gamma, patience: patience, minLr: etaMin);
        }
        EpochLrScheduler inner = key switch
        {
            "constant" or "none" => new ConstantLr(optimizer),
            "step" => new StepLr(optimizer, stepSize > 0 ? stepSize
                : throw new ArgumentException($"schedule 'step' needs a positive step size, got {stepSize}", nameof(stepSize)), gamma),
            "exponential" => new ExponentialLr(optimizer, gamma),
            "cosine" => new CosineAnnealingLr(optimizer, totalSteps - warmupSteps > 0 ? totalSteps - warmupSteps
                : throw new ArgumentException($"schedule 'cosine' needs total steps {totalSteps} > warm-up steps {warmupSteps}", nameof(totalSteps)), etaMin),
            _ => throw new ArgumentException($"unknown schedule '{name}' (expected one of {string.Join(", ", Names)})", nameof(name)),
        };
        return warmupSteps > 0 ? new LinearWarmup(optimizer, warmupSteps, after: inner) : inner;
    }
}
