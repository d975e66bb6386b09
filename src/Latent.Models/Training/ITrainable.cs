using Latent.Core;

namespace Latent.Models.Training;

/// <summary>
/// Anything <see cref="Trainer.Fit"/> trains: a model (<see cref="AutoencoderModel"/>), one layer of a stack, a prior
/// over codes (<see cref="Objective"/>). It declares what one step minimises (<see cref="TrainingPhases"/>); the trainer
/// owns everything else: optimizers, schedules, clipping, the NaN guard, checkpoints, progress, resume, cancellation.
/// </summary>
public interface ITrainable
{
    /// <summary>The name written to checkpoints ("vae", "stacked-ae/layer2", ...); a resume checks it.</summary>
    string Name { get; }

    /// <summary>The options as text, written to checkpoints for the record.</summary>
    string OptionsText { get; }

    /// <summary>Shape of one training sample.</summary>
    int[] InputShape { get; }

    /// <summary>The module trained: its state dict is the checkpoint's weights, its training mode is switched on.</summary>
    Latent.NN.Module Module { get; }

    /// <summary>The objective on a batch x [B, ...InputShape], without updating anything (validation, evaluation).</summary>
    LossTerms Loss(Tensor x, TrainingContext ctx);

    /// <summary>The phases of one training step, in order (<see cref="TrainingPhase"/>); called once per <see cref="Trainer.Fit"/>.</summary>
    IReadOnlyList<TrainingPhase> TrainingPhases();
}
