using Latent.Core;
using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>
/// The one encoding of optimizer state in checkpoints, for any <see cref="Optimizer"/> through
/// <see cref="Optimizer.GetState"/> / <see cref="Optimizer.SetState"/>: the kind is the optimizer's type name in lower
/// case ("adam", "adamw", "sgd"), the buffers keep their names ("0.exp_avg", "0.momentum_buffer", ...) as tensors of
/// shape [size], and the learning rate in effect is kept so that a schedule which is not a closed form of the epoch
/// (reduce-on-plateau) resumes at the same rate.
/// </summary>
public static class OptimizerStateCodec
{
    /// <summary>The state of <paramref name="optimizer"/> (copies), labelled with its <paramref name="phase"/>.</summary>
    public static OptimizerSnapshot Export(Optimizer optimizer, string phase)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = optimizer.GetState();
        var tensors = state.Buffers
            .OrderBy(b => BufferIndex(b.Key)).ThenBy(b => b.Key, StringComparer.Ordinal)
            .Select(b => (b.Key, Tensor.FromArray(b.Value, b.Value.Length)))
            .ToList();
        return new OptimizerSnapshot(Kind(optimizer), state.Step, tensors, state.LearningRate, phase);
    }

    /// <summary>Restores <paramref name="state"/> into <paramref name="optimizer"/>; ArgumentException when they do not match.</summary>
    public static void Import(Optimizer optimizer, OptimizerSnapshot state)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind != Kind(optimizer))
            throw new ArgumentException($"optimizer state: saved optimizer is '{state.Kind}', this run uses '{Kind(optimizer)}'", nameof(state));
        var buffers = new Dictionary<string, float[]>();
        foreach (var (name, t) in state.Tensors) buffers[name] = t.ToArray();
        float lr = float.IsFinite(state.LearningRate) ? state.LearningRate : optimizer.LearningRate;
        optimizer.SetState(new OptimizerState(state.StepCount, lr, buffers));
    }

    /// <summary>The kind written to checkpoints: the optimizer's type name in lower case.</summary>
    public static string Kind(Optimizer optimizer) => optimizer.GetType().Name.ToLowerInvariant();

    private static int BufferIndex(string name)
    {
        int dot = name.IndexOf('.');
        return dot > 0 && int.TryParse(name.AsSpan(0, dot), out int k) ? k : int.MaxValue;
    }
}
