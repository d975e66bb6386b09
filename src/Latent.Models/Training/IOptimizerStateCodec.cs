using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>
/// Exports and imports an optimizer's state for checkpoints. <see cref="AdamStateCodec"/> handles Adam today; after
/// the optimizer state export/import API lands in Latent.NN, an adapter over it replaces this for every optimizer.
/// </summary>
public interface IOptimizerStateCodec
{
    /// <summary>The state of <paramref name="optimizer"/> (copies).</summary>
    OptimizerSnapshot Export(Optimizer optimizer);

    /// <summary>Restores <paramref name="state"/> into <paramref name="optimizer"/>; ArgumentException when they do not match.</summary>
    void Import(Optimizer optimizer, OptimizerSnapshot state);
}
