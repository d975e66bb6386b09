using Latent.Core;
using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>
/// The pluggable parts of the trainer: optimizer and schedule factories, gradient clipping and optimizer-state
/// serialisation. The defaults cover Adam with a constant learning rate; after the merge they are wired to
/// <c>Optimizers.Create</c>, the LR schedules, <c>GradClip.ClipGradNorm</c> and the optimizer state API.
/// </summary>
public sealed record TrainerServices
{
    /// <summary>Adam, constant schedule, no clipper, <see cref="AdamStateCodec"/>.</summary>
    public static TrainerServices Default { get; } = new();

    /// <summary>(name, parameters, learning rate) → optimizer. Default: "adam" only.</summary>
    public Func<string, IReadOnlyList<Tensor>, float, Optimizer> CreateOptimizer { get; init; } = DefaultOptimizer;

    /// <summary>(name, base learning rate, total steps) → learning rate for a 0-based global step. Default: "constant" only.</summary>
    public Func<string, float, long, Func<long, float>> CreateSchedule { get; init; } = DefaultSchedule;

    /// <summary>(parameters, max norm) → total gradient norm before clipping, scaling the gradients in place; null = clipping unavailable.</summary>
    public Func<IReadOnlyList<Tensor>, float, float>? ClipGradNorm { get; init; }

    /// <summary>Saves and restores the optimizer's state in checkpoints.</summary>
    public IOptimizerStateCodec OptimizerStateCodec { get; init; } = new AdamStateCodec();

    private static Optimizer DefaultOptimizer(string name, IReadOnlyList<Tensor> parameters, float lr) => name.ToLowerInvariant() switch
    {
        "adam" => new ResumableAdam(parameters, lr),
        _ => throw new ArgumentException($"training: unknown optimizer '{name}' (expected adam)", nameof(TrainingOptions.Optimizer)),
    };

    private static Func<long, float> DefaultSchedule(string name, float lr, long totalSteps) => name.ToLowerInvariant() switch
    {
        "constant" or "none" => _ => lr,
        _ => throw new ArgumentException($"training: unknown schedule '{name}' (expected constant)", nameof(TrainingOptions.Schedule)),
    };
}
