using Latent.Core;

namespace Latent.Models.Training;

/// <summary>
/// One optimisation phase of a training step, as Lightning's <c>configure_optimizers</c> returns several optimizers
/// and pythae's adversarial trainers alternate them. For every batch the trainer runs the phases in order; for each
/// phase it clears the gradients of <see cref="Parameters"/>, calls <see cref="Loss"/> (so a phase sees the updates
/// of the phases before it), checks every term for NaN/Inf, back-propagates the term named <see cref="Term"/>,
/// clips the gradient norm of <see cref="Parameters"/> (<see cref="TrainingOptions.GradientClip"/>) and steps the
/// phase's own optimizer. After the last phase every phase's gradients are cleared. The step reports the terms of the
/// last phase (so the last phase returns the whole step's terms; earlier phases may return just their own).
/// <para>The trainer creates each phase's optimizer from <see cref="Optimizer"/> (the run's --optimizer and --lr unless
/// overridden), drives it with the run's schedule relative to its own base rate, and saves its state in checkpoints
/// under the phase's <see cref="Name"/>.</para>
/// <example>An adversarial model: <c>[new("autoencoder", aeParameters, (x, ctx) =&gt; ...),
/// new("discriminator", dParameters, (x, ctx) =&gt; ...) { Optimizer = new() { LearningRate = 2e-4f, Beta1 = 0.5f } }]</c>.</example>
/// </summary>
/// <param name="Name">The phase's name (letters, digits, '-' or '_'), unique within the step; checkpoints key the optimizer state by it.</param>
/// <param name="Parameters">The parameter group this phase updates (not empty).</param>
/// <param name="Loss">The phase's terms on the batch x [B, ...InputShape]; noise from ctx.Rng.</param>
public sealed record TrainingPhase(string Name, IReadOnlyList<Tensor> Parameters, Func<Tensor, TrainingContext, LossTerms> Loss)
{
    /// <summary>The term of <see cref="Loss"/>'s result that this phase minimises ("total" by default).</summary>
    public string Term { get; init; } = LossTerms.TotalName;

    /// <summary>How to build this phase's optimizer; <see cref="OptimizerSpec.Run"/> (the default) = the run's optimizer and rate.</summary>
    public OptimizerSpec Optimizer { get; init; } = OptimizerSpec.Run;
}
