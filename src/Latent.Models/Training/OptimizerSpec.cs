namespace Latent.Models.Training;

/// <summary>
/// The optimizer a <see cref="TrainingPhase"/> wants; a null field takes the run's value (--optimizer, --lr) or the
/// optimizer's default (betas 0.9/0.999; weight decay 0, AdamW 0.01). Betas apply to Adam and AdamW only.
/// </summary>
/// <param name="Name">"adam", "adamw" or "sgd", or null for the run's.</param>
/// <param name="LearningRate">Base learning rate, or null for the run's.</param>
/// <param name="Beta1">Adam's β₁, or null for 0.9 (adversarial games often use 0.5, Radford et al. 2016).</param>
/// <param name="Beta2">Adam's β₂, or null for 0.999.</param>
/// <param name="WeightDecay">Weight decay, or null for the optimizer's default.</param>
public sealed record OptimizerSpec(string? Name = null, float? LearningRate = null, float? Beta1 = null, float? Beta2 = null, float? WeightDecay = null)
{
    /// <summary>The run's optimizer and learning rate with the optimizer's defaults.</summary>
    public static OptimizerSpec Run { get; } = new();
}
