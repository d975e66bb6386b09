namespace Latent.NN.Optim.Scheduling;

/// <summary>
/// torch.optim.lr_scheduler.CosineAnnealingLR (SGDR without restarts, Loshchilov &amp; Hutter 2017):
/// lr = η_min + (base − η_min)·(1 + cos(π·epoch / T_max))/2. This closed form is what PyTorch's recursive
/// (chainable) update produces, also past T_max, where the rate rises again with period 2·T_max.
/// </summary>
public sealed class CosineAnnealingLr : EpochLrScheduler
{
    /// <summary>Anneals from the base rate to <paramref name="etaMin"/> over <paramref name="tMax"/> epochs.</summary>
    public CosineAnnealingLr(Optimizer optimizer, int tMax, float etaMin = 0f) : base(optimizer)
    {
        if (tMax <= 0) throw new ArgumentException($"CosineAnnealingLr: T_max {tMax} must be positive", nameof(tMax));
        if (!(etaMin >= 0f)) throw new ArgumentException($"CosineAnnealingLr: eta_min {etaMin} must be >= 0", nameof(etaMin));
        TMax = tMax;
        EtaMin = etaMin;
        Apply();
    }

    /// <summary>Half-period in epochs.</summary>
    public int TMax { get; }

    /// <summary>Lowest rate.</summary>
    public float EtaMin { get; }

    /// <inheritdoc />
    public override double LrAt(long epoch) =>
        EtaMin + ((double)BaseLr - EtaMin) * (1 + Math.Cos(Math.PI * epoch / TMax)) / 2;
}
