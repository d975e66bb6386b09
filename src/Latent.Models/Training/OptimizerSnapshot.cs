using Latent.Core;

namespace Latent.Models.Training;

/// <summary>An optimizer's saved state: its kind, step count and named buffers (e.g. Adam's "m.0", "v.0", ...).</summary>
/// <param name="Kind">The optimizer kind ("adam"); a checkpoint is only restored into the same kind.</param>
/// <param name="StepCount">Steps taken (Adam's bias corrections depend on it).</param>
/// <param name="Tensors">The buffers by name, in a fixed order.</param>
public sealed record OptimizerSnapshot(string Kind, long StepCount, IReadOnlyList<(string Name, Tensor Tensor)> Tensors);
