using Latent.Core;

namespace Latent.Models.Training;

/// <summary>An optimizer's saved state: its kind, step count, named buffers, the learning rate in effect, its phase and its schedule's counters.</summary>
/// <param name="Kind">The optimizer kind ("adam", "adamw", "sgd"); a checkpoint is only restored into the same kind.</param>
/// <param name="StepCount">Steps taken (Adam's bias corrections depend on it).</param>
/// <param name="Tensors">The buffers by name ("0.exp_avg", ...), in a fixed order.</param>
/// <param name="LearningRate">The optimizer's learning rate when saved, or NaN when unknown (older checkpoints).</param>
/// <param name="Phase">The <see cref="TrainingPhase.Name"/> it belongs to, or null (older single-optimizer checkpoints).</param>
/// <param name="SchedulerState">The counters of the schedule driving it (<see cref="Latent.NN.Optim.Scheduling.LrScheduler.GetState"/>), or null.</param>
public sealed record OptimizerSnapshot(string Kind, long StepCount, IReadOnlyList<(string Name, Tensor Tensor)> Tensors, float LearningRate = float.NaN,
    string? Phase = null, IReadOnlyDictionary<string, double>? SchedulerState = null);
