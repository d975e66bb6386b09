using Latent.Core;
using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>
/// An optimizer's saved state: the one encoding of any <see cref="Optimizer"/>'s state in checkpoints. Buffers keep
/// their names ("0.exp_avg", ...) as tensors [size]; the learning rate in effect is kept for reduce-on-plateau.
/// </summary>
/// <param name="Kind">The optimizer kind ("adam", "adamw", "sgd"); a checkpoint is only restored into the same kind.</param>
/// <param name="StepCount">Steps taken (Adam's bias corrections depend on it).</param>
/// <param name="Tensors">The buffers by name, in a fixed order.</param>
/// <param name="LearningRate">The optimizer's learning rate when saved, or NaN when unknown (older checkpoints).</param>
/// <param name="Phase">The <see cref="TrainingPhase.Name"/> it belongs to, or null (older single-optimizer checkpoints).</param>
/// <param name="SchedulerState">The counters of the schedule driving it (<see cref="Latent.NN.Optim.Scheduling.LrScheduler.GetState"/>), or null.</param>
public sealed record OptimizerSnapshot(string Kind, long StepCount, IReadOnlyList<(string Name, Tensor Tensor)> Tensors, float LearningRate = float.NaN,
    string? Phase = null, IReadOnlyDictionary<string, double>? SchedulerState = null)
{
    /// <summary>The state of <paramref name="optimizer"/> (copies) for <paramref name="phase"/>.</summary>
    public static OptimizerSnapshot Capture(Optimizer optimizer, string? phase, IReadOnlyDictionary<string, double>? schedulerState = null)
    {
        var state = (optimizer ?? throw new ArgumentNullException(nameof(optimizer))).GetState();
        // Buffers "k.name" in parameter order k, then by name.
        var tensors = state.Buffers.OrderBy(b => int.TryParse(b.Key.AsSpan(0, Math.Max(0, b.Key.IndexOf('.'))), out int k) ? k : int.MaxValue).ThenBy(b => b.Key, StringComparer.Ordinal)
            .Select(b => (b.Key, Tensor.FromArray(b.Value, b.Value.Length))).ToList();
        return new OptimizerSnapshot(KindOf(optimizer), state.Step, tensors, state.LearningRate, phase, schedulerState);
    }

    /// <summary>Restores this state into <paramref name="optimizer"/>; ArgumentException when they do not match.</summary>
    public void RestoreInto(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (Kind != KindOf(optimizer))
            throw new ArgumentException($"optimizer state: saved optimizer is '{Kind}', this run uses '{KindOf(optimizer)}'", nameof(optimizer));
        var buffers = Tensors.ToDictionary(t => t.Name, t => t.Tensor.ToArray());
        optimizer.SetState(new OptimizerState(StepCount, float.IsFinite(LearningRate) ? LearningRate : optimizer.LearningRate, buffers));
    }

    /// <summary>The kind written to checkpoints: the optimizer's type name in lower case.</summary>
    public static string KindOf(Optimizer optimizer) => optimizer.GetType().Name.ToLowerInvariant();
}
