using Latent.Core;
using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>
/// The pluggable parts of the trainer: the optimizer factory and gradient clipping. The defaults use
/// <see cref="Optimizers.Create"/> (adam, adamw, sgd) and <see cref="GradClip.ClipGradNorm"/>.
/// </summary>
public sealed record TrainerServices
{
    /// <summary>The defaults described on the type.</summary>
    public static TrainerServices Default { get; } = new();

    /// <summary>
    /// (resolved spec: name and learning rate set, parameters) → optimizer; ArgumentException naming <c>Optimizer</c>
    /// for an unknown name.
    /// </summary>
    public Func<OptimizerSpec, IReadOnlyList<Tensor>, Optimizer> CreateOptimizer { get; init; } = DefaultOptimizer;

    /// <summary>(parameters, max norm) → total gradient norm before clipping, scaling the gradients in place; null = clipping unavailable.</summary>
    public Func<IReadOnlyList<Tensor>, float, float>? ClipGradNorm { get; init; } = (parameters, maxNorm) => GradClip.ClipGradNorm(parameters, maxNorm);

    private static Optimizer DefaultOptimizer(OptimizerSpec spec, IReadOnlyList<Tensor> parameters)
    {
        if (spec.Name is not { } name || spec.LearningRate is not { } lr) throw new ArgumentException("training: the optimizer spec needs a name and a learning rate", nameof(spec));
        if (!Optimizers.Names.Contains(name.ToLowerInvariant()))
            throw new ArgumentException($"training: unknown optimizer '{name}' (expected one of {string.Join(", ", Optimizers.Names)})", nameof(TrainingOptions.Optimizer));
        return Optimizers.Create(name, parameters, lr, spec.WeightDecay, beta1: spec.Beta1 ?? 0.9f, beta2: spec.Beta2 ?? 0.999f);
    }
}
