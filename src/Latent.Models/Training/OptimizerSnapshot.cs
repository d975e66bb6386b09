using Latent.Core;

namespace Latent.Models.Training;

/// <summary>An optimizer's saved state: its kind, step count, named buffers and the learning rate in effect.</summary>
/// <param name="Kind">The optimizer kind ("adam", "adamw", "sgd"); a checkpoint is only restored into the same kind.</param>
/// <param name="StepCount">Steps taken (Adam's bias corrections depend on it).</param>
/// <param name="Tensors">The buffers by name ("0.exp_avg", ...), in a fixed order.</param>
/// <param name="LearningRate">The optimizer's learning rate when saved, or NaN when unknown (older checkpoints).</param>
public sealed record OptimizerSnapshot(string Kind, long StepCount, IReadOnlyList<(string Name, Tensor Tensor)> Tensors, float LearningRate = float.NaN);
