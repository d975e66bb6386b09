namespace Latent.Models.Training;

/// <summary>
/// What optimizer a <see cref="TrainingPhase"/> wants. Every field left null takes the run's value
/// (<see cref="TrainingOptions.Optimizer"/>, <see cref="TrainingOptions.LearningRate"/>) or the optimizer's default
/// (betas 0.9/0.999, weight decay 0 for Adam and SGD, 0.01 for AdamW). Betas apply to Adam and AdamW only.
/// </summary>
public sealed record OptimizerSpec
{
    /// <summary>The run's optimizer and learning rate with the optimizer's defaults.</summary>
    public static OptimizerSpec Run { get; } = new();

    /// <summary>"adam", "adamw" or "sgd", or null for the run's.</summary>
    public string? Name { get; init; }

    /// <summary>Base learning rate, or null for the run's.</summary>
    public float? LearningRate { get; init; }

    /// <summary>Adam's β₁, or null for 0.9 (adversarial games often use 0.5, Radford et al. 2016).</summary>
    public float? Beta1 { get; init; }

    /// <summary>Adam's β₂, or null for 0.999.</summary>
    public float? Beta2 { get; init; }

    /// <summary>Weight decay, or null for the optimizer's default.</summary>
    public float? WeightDecay { get; init; }

    /// <summary>This spec with the name and learning rate filled in from <paramref name="options"/> where null.</summary>
    public OptimizerSpec Resolve(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return this with { Name = Name ?? options.Optimizer, LearningRate = LearningRate ?? options.LearningRate };
    }
}
