namespace Latent.NN.Optim.Scheduling;

/// <summary>
/// torch.optim.lr_scheduler.ReduceLROnPlateau: after more than <see cref="Patience"/> epochs without an
/// improvement of the metric (relative: better than best·(1 ∓ threshold); absolute: best ∓ threshold), the
/// rate becomes max(lr·factor, minLr) (unless that changes it by less than 1e-8), followed by
/// <see cref="Cooldown"/> epochs in which bad epochs are not counted.
/// </summary>
public sealed class ReduceLrOnPlateau : LrScheduler
{
    private const double Eps = 1e-8;

    /// <summary>A plateau schedule with PyTorch's defaults.</summary>
    public ReduceLrOnPlateau(Optimizer optimizer, string mode = "min", float factor = 0.1f, int patience = 10,
        float threshold = 1e-4f, string thresholdMode = "rel", int cooldown = 0, float minLr = 0f) : base(optimizer)
    {
        if (mode is not ("min" or "max")) throw new ArgumentException($"ReduceLrOnPlateau: mode '{mode}' is not 'min' or 'max'", nameof(mode));
        if (thresholdMode is not ("rel" or "abs")) throw new ArgumentException($"ReduceLrOnPlateau: threshold mode '{thresholdMode}' is not 'rel' or 'abs'", nameof(thresholdMode));
        if (!(factor >= 0f && factor < 1f)) throw new ArgumentException($"ReduceLrOnPlateau: factor {factor} must be in [0, 1)", nameof(factor));
        if (patience < 0 || cooldown < 0) throw new ArgumentException($"ReduceLrOnPlateau: patience {patience} and cooldown {cooldown} must be >= 0");
        if (!(threshold >= 0f)) throw new ArgumentException($"ReduceLrOnPlateau: threshold {threshold} must be >= 0", nameof(threshold));
        if (!(minLr >= 0f)) throw new ArgumentException($"ReduceLrOnPlateau: min lr {minLr} must be >= 0", nameof(minLr));
        Mode = mode; Factor = factor; Patience = patience; Threshold = threshold; ThresholdMode = thresholdMode;
        Cooldown = cooldown; MinLr = minLr;
        Best = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>"min" (lower is better) or "max".</summary>
    public string Mode { get; }

    /// <summary>Multiplier applied on a plateau.</summary>
    public float Factor { get; }

    /// <summary>Bad epochs tolerated before reducing.</summary>
    public int Patience { get; }

    /// <summary>Smallest change that counts as an improvement.</summary>
    public float Threshold { get; }

    /// <summary>"rel" or "abs".</summary>
    public string ThresholdMode { get; }

    /// <summary>Epochs after a reduction in which bad epochs are ignored.</summary>
    public int Cooldown { get; }

    /// <summary>Floor for the learning rate.</summary>
    public float MinLr { get; }

    /// <summary>Best metric so far.</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive epochs without improvement.</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Epochs of cooldown left.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>Records the epoch's <paramref name="metric"/> (required) and reduces the rate on a plateau.</summary>
    public override void Step(float? metric = null)
    {
        if (metric is not { } m) throw new ArgumentException("ReduceLrOnPlateau.Step: a metric is required", nameof(metric));
        double current = m;
        LastEpoch++;
        if (IsBetter(current)) { Best = current; NumBadEpochs = 0; }
        else NumBadEpochs++;
        if (CooldownCounter > 0) { CooldownCounter--; NumBadEpochs = 0; }
        if (NumBadEpochs > Patience)
        {
            double old = Optimizer.LearningRate;
            double next = Math.Max(old * Factor, MinLr);
            if (old - next > Eps) Optimizer.LearningRate = (float)next;
            CooldownCounter = Cooldown;
            NumBadEpochs = 0;
        }
    }

    private bool IsBetter(double a) => (Mode, ThresholdMode) switch
    {
        ("min", "rel") => a < Best * (1.0 - Threshold),
        ("min", _) => a < Best - Threshold,
        (_, "rel") => a > Best * (1.0 + Threshold),
        _ => a > Best + Threshold,
    };

    /// <inheritdoc />
    protected override IEnumerable<(string Key, double Value)> ExportExtra() =>
        [("best", Best), ("num_bad_epochs", NumBadEpochs), ("cooldown_counter", CooldownCounter)];

    /// <inheritdoc />
    protected override void ImportExtra(IReadOnlyDictionary<string, double> state)
    {
        double bad = state["num_bad_epochs"], cool = state["cooldown_counter"];
        if (bad < 0 || bad != Math.Floor(bad) || cool < 0 || cool != Math.Floor(cool) || double.IsNaN(state["best"]))
            throw new ArgumentException($"ReduceLrOnPlateau.SetState: invalid counters (best {state["best"]}, bad epochs {bad}, cooldown {cool})", nameof(state));
        Best = state["best"];
        NumBadEpochs = (int)bad;
        CooldownCounter = (int)cool;
    }
}
