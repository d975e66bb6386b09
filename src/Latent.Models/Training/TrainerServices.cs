using Latent.Core;
using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>
/// The pluggable parts of the trainer: optimizer and schedule factories, gradient clipping and optimizer-state
/// serialisation. The defaults use <see cref="Optimizers.Create"/> (adam, adamw, sgd), <see cref="LrSchedule.Create"/>
/// (the NN schedules by name), <see cref="GradClip.ClipGradNorm"/> and <see cref="OptimizerStateCodec"/>.
/// </summary>
public sealed record TrainerServices
{
    /// <summary>The defaults described on the type.</summary>
    public static TrainerServices Default { get; } = new();

    /// <summary>(name, parameters, learning rate) → optimizer; ArgumentException naming <c>Optimizer</c> for an unknown name.</summary>
    public Func<string, IReadOnlyList<Tensor>, float, Optimizer> CreateOptimizer { get; init; } = DefaultOptimizer;

    /// <summary>(spec, optimizer, steps per epoch, epochs) → the schedule driving the optimizer's learning rate.</summary>
    public Func<string, Optimizer, int, int, LrSchedule> CreateSchedule { get; init; } = LrSchedule.Create;

    /// <summary>(parameters, max norm) → total gradient norm before clipping, scaling the gradients in place; null = clipping unavailable.</summary>
    public Func<IReadOnlyList<Tensor>, float, float>? ClipGradNorm { get; init; } = (parameters, maxNorm) => GradClip.ClipGradNorm(parameters, maxNorm);

    /// <summary>Saves and restores the optimizer's state in checkpoints.</summary>
    public IOptimizerStateCodec OptimizerStateCodec { get; init; } = new OptimizerStateCodec();

    private static Optimizer DefaultOptimizer(string name, IReadOnlyList<Tensor> parameters, float lr)
    {
        if (!Optimizers.Names.Contains(name.ToLowerInvariant()))
            throw new ArgumentException($"training: unknown optimizer '{name}' (expected one of {string.Join(", ", Optimizers.Names)})", nameof(TrainingOptions.Optimizer));
        return Optimizers.Create(name, parameters, lr);
    }
}
