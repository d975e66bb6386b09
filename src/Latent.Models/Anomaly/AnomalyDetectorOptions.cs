using System.Globalization;

namespace Latent.Models.Anomaly;

/// <summary>
/// Settings of an <see cref="AnomalyDetector"/>. The defaults are the configuration chosen by the leave-sets-out
/// protocol on the ODDS benchmark sets (bench/Latent.Quality, section odds-heldout; docs/results/anomaly.md): a
/// linear VAE d → k → d per code fraction (k = max(1, round(fraction·d))), Gaussian decoder, Adam 1e-3, batch 64,
/// about 1,000 steps, refitted three times on the 75% of training rows it reconstructs best, on features scaled by
/// <see cref="TableScaler"/>; member scores are averaged after standardising each by its kept training rows' scores.
/// </summary>
public sealed record AnomalyDetectorOptions
{
    /// <summary>Registered model for every member ("vae" or "ae"; any model with arch and output settings).</summary>
    public string Model { get; init; } = "vae";

    /// <summary>One member per code fraction (and per seed): k = max(1, round(fraction·d)).</summary>
    public double[] CodeFractions { get; init; } = [0.25];

    /// <summary>Members per code fraction, each with its own seed.</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>0 = linear d → k → d; otherwise a hidden layer of h = max(2k, round(multiple·d)) units (relu).</summary>
    public double HiddenMultiple { get; init; }

    /// <summary><see cref="TableScaler"/> mode: "standard" (mean/std) or "robust" (median/IQR).</summary>
    public string Scaling { get; init; } = "standard";

    /// <summary>Floor on each feature's scale, as a fraction of the median scale over the features.</summary>
    public double ScaleFloor { get; init; } = 0.1;

    /// <summary>Fraction of training rows dropped (the worst reconstructed) before each refit; 0 = no trimming.</summary>
    public double TrimFraction { get; init; } = 0.25;

    /// <summary>Number of trimmed refits (warm, on the kept rows).</summary>
    public int TrimRounds { get; init; } = 3;

    /// <summary>Optimizer steps per fit (epochs = ⌈steps·batch/n⌉, at least <see cref="MinEpochs"/>).</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Fewest epochs per fit.</summary>
    public int MinEpochs { get; init; } = 2;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam learning rate (constant).</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Expected fraction of anomalies: the threshold is the (1 − contamination) quantile of the training scores (PyOD's default 0.1).</summary>
    public double Contamination { get; init; } = 0.1;

    /// <summary>Seed of the first member; member m uses Seed + m.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Throws ArgumentException naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException("AnomalyDetectorOptions: Model is empty", nameof(Model));
        if (CodeFractions is null || CodeFractions.Length == 0 || CodeFractions.Any(f => !(f > 0 && f <= 1)))
            throw new ArgumentException("AnomalyDetectorOptions: CodeFractions must be a non-empty list of values in (0, 1]", nameof(CodeFractions));
        if (Seeds < 1) throw new ArgumentException($"AnomalyDetectorOptions: Seeds {Seeds} must be at least 1", nameof(Seeds));
        if (!(HiddenMultiple >= 0)) throw new ArgumentException($"AnomalyDetectorOptions: HiddenMultiple {HiddenMultiple} must be ≥ 0", nameof(HiddenMultiple));
        if (Scaling is not ("standard" or "robust")) throw new ArgumentException($"AnomalyDetectorOptions: Scaling '{Scaling}': expected standard or robust", nameof(Scaling));
        if (!(ScaleFloor >= 0 && ScaleFloor < 1)) throw new ArgumentException($"AnomalyDetectorOptions: ScaleFloor {ScaleFloor} must be in [0, 1)", nameof(ScaleFloor));
        if (!(TrimFraction >= 0 && TrimFraction < 1)) throw new ArgumentException($"AnomalyDetectorOptions: TrimFraction {TrimFraction} must be in [0, 1)", nameof(TrimFraction));
        if (TrimRounds < 0) throw new ArgumentException($"AnomalyDetectorOptions: TrimRounds {TrimRounds} must be ≥ 0", nameof(TrimRounds));
        if (Steps < 1) throw new ArgumentException($"AnomalyDetectorOptions: Steps {Steps} must be at least 1", nameof(Steps));
        if (MinEpochs < 1) throw new ArgumentException($"AnomalyDetectorOptions: MinEpochs {MinEpochs} must be at least 1", nameof(MinEpochs));
        if (BatchSize < 1) throw new ArgumentException($"AnomalyDetectorOptions: BatchSize {BatchSize} must be at least 1", nameof(BatchSize));
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"AnomalyDetectorOptions: LearningRate {LearningRate} must be positive", nameof(LearningRate));
        if (!(Contamination is > 0 and < 0.5)) throw new ArgumentException($"AnomalyDetectorOptions: Contamination {Contamination} must be in (0, 0.5)", nameof(Contamination));
    }

    /// <summary>Code size for <paramref name="features"/> inputs: max(1, round(fraction·d)).</summary>
    public static int CodeSize(double fraction, int features) => Math.Max(1, (int)Math.Round(fraction * features));

    /// <summary>The "arch" setting of a member with code fraction <paramref name="fraction"/>: "d-k" or "d-h-k".</summary>
    public string Architecture(double fraction, int features)
    {
        int k = CodeSize(fraction, features);
        if (HiddenMultiple <= 0) return $"{features}-{k}";
        int h = Math.Max(2 * k, (int)Math.Round(HiddenMultiple * features));
        return $"{features}-{h}-{k}";
    }

    /// <summary>One line for logs: model, members, scaling, trimming.</summary>
    public string Describe() =>
        $"{Model} {(HiddenMultiple > 0 ? $"d-max(2k,{HiddenMultiple.ToString(CultureInfo.InvariantCulture)}d)-k relu" : "d-k linear")}, " +
        $"k/d ∈ {{{string.Join(",", CodeFractions.Select(f => f.ToString(CultureInfo.InvariantCulture)))}}} × {Seeds} seed(s), {Scaling} scaling (floor {ScaleFloor.ToString(CultureInfo.InvariantCulture)}), " +
        (TrimFraction > 0 && TrimRounds > 0 ? $"{TrimRounds} refits on the best {(1 - TrimFraction) * 100:F0}%" : "no trimming") + $", ≈{Steps} steps per fit";
}
