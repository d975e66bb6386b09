namespace Latent.NN.Optim.Scheduling;

/// <summary>Keeps the base learning rate (the "no schedule" schedule).</summary>
public sealed class ConstantLr : EpochLrScheduler
{
    /// <summary>A constant schedule at the optimizer's current rate.</summary>
    public ConstantLr(Optimizer optimizer) : base(optimizer) => Apply();

    /// <inheritdoc />
    public override double LrAt(long epoch) => BaseLr;
}
