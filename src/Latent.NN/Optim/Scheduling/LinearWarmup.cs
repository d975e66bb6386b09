namespace Latent.NN.Optim.Scheduling;

/// <summary>
/// Linear warm-up (Goyal et al. 2017): for epoch &lt; W the rate is base·(s + (1 − s)·epoch/W), PyTorch's
/// LinearLR(start_factor = s, total_iters = W); from epoch W on it is the base rate, or, with an
/// <c>after</c> schedule, that schedule's rate at epoch − W (PyTorch's SequentialLR with milestone W).
/// Step only the warm-up; it drives the inner schedule.
/// </summary>
public sealed class LinearWarmup : EpochLrScheduler
{
    private readonly EpochLrScheduler? _after;

    /// <summary>Warms up over <paramref name="warmupSteps"/> epochs from <paramref name="startFactor"/>·base, then follows <paramref name="after"/> (or stays at base).</summary>
    public LinearWarmup(Optimizer optimizer, int warmupSteps, float startFactor = 1f / 3f, EpochLrScheduler? after = null) : base(optimizer)
    {
        if (warmupSteps <= 0) throw new ArgumentException($"LinearWarmup: warm-up steps {warmupSteps} must be positive", nameof(warmupSteps));
        if (!(startFactor > 0f && startFactor <= 1f)) throw new ArgumentException($"LinearWarmup: start factor {startFactor} is not in (0, 1]", nameof(startFactor));
        if (after is not null && !ReferenceEquals(after.Optimizer, optimizer))
            throw new ArgumentException("LinearWarmup: the schedule after warm-up drives a different optimizer", nameof(after));
        WarmupSteps = warmupSteps;
        StartFactor = startFactor;
        _after = after;
        Apply();
    }

    /// <summary>Length of the warm-up W.</summary>
    public int WarmupSteps { get; }

    /// <summary>Fraction of the base rate at epoch 0.</summary>
    public float StartFactor { get; }

    /// <inheritdoc />
    public override double LrAt(long epoch)
    {
        if (epoch < WarmupSteps) return BaseLr * (StartFactor + (1.0 - StartFactor) * epoch / WarmupSteps);
        return _after?.LrAt(epoch - WarmupSteps) ?? BaseLr;
    }
}
