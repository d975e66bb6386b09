using Latent.Core;

namespace Latent.Models.Training;

/// <summary>
/// One optimisation phase of a training step (as Lightning's <c>configure_optimizers</c> and pythae's adversarial
/// trainers). Per batch, for each phase in order, the trainer clears the gradients of <see cref="Parameters"/>, calls
/// <see cref="Loss"/> (which sees the earlier phases' updates), checks every term for NaN/Inf, back-propagates the term
/// <see cref="Term"/>, clips <see cref="Parameters"/>' gradient norm and steps the phase's optimizer; then it clears
/// every phase's gradients. The step reports the last phase's terms (earlier phases may return just their own).
/// <para>Each phase's optimizer is built from <see cref="Optimizer"/>, follows the run's schedule from its own base
/// rate, and is checkpointed under <see cref="Name"/>.</para>
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
