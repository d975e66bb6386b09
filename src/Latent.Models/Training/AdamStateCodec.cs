using Latent.Core;
using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>Saves Adam's first and second moments ("m.i", "v.i" for parameter i, shape [size]) and its step count.</summary>
public sealed class AdamStateCodec : IOptimizerStateCodec
{
    /// <inheritdoc />
    public OptimizerSnapshot Export(Optimizer optimizer)
    {
        var adam = optimizer as Adam ?? throw new ArgumentException($"AdamStateCodec: cannot save a {optimizer.GetType().Name}", nameof(optimizer));
        var tensors = new List<(string, Tensor)>();
        for (int i = 0; i < adam.Params.Length; i++)
        {
            tensors.Add(($"m.{i}", Tensor.FromArray(adam.FirstMoments[i], adam.FirstMoments[i].Length)));
            tensors.Add(($"v.{i}", Tensor.FromArray(adam.SecondMoments[i], adam.SecondMoments[i].Length)));
        }
        return new OptimizerSnapshot("adam", adam.StepCount, tensors);
    }

    /// <inheritdoc />
    public void Import(Optimizer optimizer, OptimizerSnapshot state)
    {
        var adam = optimizer as Adam ?? throw new ArgumentException($"AdamStateCodec: cannot restore into a {optimizer.GetType().Name}", nameof(optimizer));
        if (state.Kind != "adam") throw new ArgumentException($"AdamStateCodec: saved optimizer is '{state.Kind}', not adam", nameof(state));
        var byName = state.Tensors.ToDictionary(t => t.Name, t => t.Tensor);
        if (byName.Count != 2 * adam.Params.Length)
            throw new ArgumentException($"AdamStateCodec: {byName.Count} saved buffers for {adam.Params.Length} parameters", nameof(state));
        for (int i = 0; i < adam.Params.Length; i++)
        {
            Copy(byName, $"m.{i}", adam.FirstMoments[i]);
            Copy(byName, $"v.{i}", adam.SecondMoments[i]);
        }
        if (adam.StepCount != state.StepCount)
        {
            if (adam is not ResumableAdam resumable)
                throw new NotSupportedException("AdamStateCodec: this Adam's step count cannot be restored (create it through TrainerServices)");
            resumable.RestoreStepCount(state.StepCount);
        }
    }

    private static void Copy(Dictionary<string, Tensor> byName, string name, float[] into)
    {
        if (!byName.TryGetValue(name, out var t)) throw new ArgumentException($"AdamStateCodec: missing buffer '{name}'", "state");
        if (t.Size != into.Length) throw new ArgumentException($"AdamStateCodec: buffer '{name}' has {t.Size} values, expected {into.Length}", "state");
        t.Span.CopyTo(into);
    }
}
