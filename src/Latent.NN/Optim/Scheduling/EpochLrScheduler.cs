namespace Latent.NN.Optim.Scheduling;

/// <summary>A schedule whose rate is a closed-form function of the epoch and the base rate.</summary>
public abstract class EpochLrScheduler : LrScheduler
{
    /// <summary>A schedule for <paramref name="optimizer"/>; derived constructors call <see cref="Apply"/> once set up.</summary>
    protected EpochLrScheduler(Optimizer optimizer) : base(optimizer) { }

    /// <summary>The learning rate at <paramref name="epoch"/> (computed in double, as PyTorch's Python floats).</summary>
    public abstract double LrAt(long epoch);

    /// <summary>Sets the optimizer's rate for <see cref="LrScheduler.LastEpoch"/>.</summary>
    protected void Apply() => Optimizer.LearningRate = (float)LrAt(LastEpoch);

    /// <inheritdoc />
    public override void Step(float? metric = null)
    {
        LastEpoch++;
        Apply();
    }

    /// <inheritdoc />
    protected override void ImportExtra(IReadOnlyDictionary<string, double> state) => Apply();
}
