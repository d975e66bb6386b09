using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>
/// Exports and imports an optimizer's state for checkpoints. <see cref="OptimizerStateCodec"/> (the default) covers
/// every optimizer through <see cref="Optimizer.GetState"/> and <see cref="Optimizer.SetState"/>.
/// </summary>
public interface IOptimizerStateCodec
{
    /// <summary>The state of <paramref name="optimizer"/> (copies).</summary>
    OptimizerSnapshot Export(Optimizer optimizer);

    /// <summary>Restores <paramref name="state"/> into <paramref name="optimizer"/>; ArgumentException when they do not match.</summary>
    void Import(Optimizer optimizer, OptimizerSnapshot state);
}
