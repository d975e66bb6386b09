using Latent.Core;
using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>
/// A model whose training step is more than "backward the total, step the optimizer" (an adversarial autoencoder's
/// reconstruction phase, discriminator update and generator update). <see cref="Trainer.Fit"/> calls
/// <see cref="TrainingStep"/> instead of its default step; the model owns any further optimizers and lists them in
/// <see cref="ExtraOptimizers"/> so that checkpoints save and restore their state and resumed runs stay exact.
/// </summary>
public interface ICustomTrainingStep
{
    /// <summary>The model's own optimizers besides the trainer's, in a fixed order (their state goes into checkpoints).</summary>
    IReadOnlyList<Optimizer> ExtraOptimizers { get; }

    /// <summary>
    /// Runs one training step on the batch <paramref name="x"/> [B, ...InputShape]: every update the model needs,
    /// using <paramref name="optimizer"/> (the trainer's, over all the model's parameters, with the scheduled learning
    /// rate) for its main update, and <paramref name="ctx"/>.Rng for all randomness. Returns the step's terms for
    /// logging; the trainer checks them for NaN/Inf after the step.
    /// </summary>
    LossTerms TrainingStep(Tensor x, TrainingContext ctx, Optimizer optimizer);
}
