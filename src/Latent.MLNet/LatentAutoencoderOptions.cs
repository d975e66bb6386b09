namespace Latent.MLNet;

/// <summary>
/// Options of the Latent autoencoder stage (<c>mlContext.Transforms.LatentAutoencoder(...)</c>): which column to read,
/// the names of the columns it adds, the model and how it is trained. Defaults suit standardised tabular features.
/// </summary>
public sealed class LatentAutoencoderOptions
{
    /// <summary>The input column: a known-size vector of Single [n] (ML.NET's "Features" by default).</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Added: the code, a vector of Single [Z].</summary>
    public string CodeColumnName { get; set; } = "Code";

    /// <summary>Added: Σᵢ (xᵢ − x̂ᵢ)², a Single (as <c>latent anomaly</c> scores rows).</summary>
    public string ReconstructionErrorColumnName { get; set; } = "ReconstructionError";

    /// <summary>Added: the anomaly score (the reconstruction error; higher = more anomalous), a Single, as ML.NET's anomaly evaluator reads it.</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Added: Score above the threshold, a Boolean.</summary>
    public string PredictedLabelColumnName { get; set; } = "IsAnomaly";

    /// <summary>The registry name of the model: a plain-network family ("ae", "dae", "sparse-ae", ...) or "vae"/"beta-vae".</summary>
    public string Model { get; set; } = "ae";

    /// <summary>Model options as for <c>latent train --set key=value</c>; "arch" defaults to n-<see cref="HiddenSize"/>-<see cref="CodeSize"/> and "output" to gaussian.</summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Code size Z of the default architecture.</summary>
    public int CodeSize { get; set; } = 4;

    /// <summary>Hidden layer width of the default architecture.</summary>
    public int HiddenSize { get; set; } = 32;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; set; } = 30;

    /// <summary>Mini-batch size (at most the number of rows).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Adam learning rate.</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Seed of the initialisation and the sample order.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>Expected fraction of anomalies: the threshold is the (1 − contamination) quantile of the training rows' errors.</summary>
    public double Contamination { get; set; } = 0.05;

    /// <summary>Throws an ArgumentException naming the first option that is out of range.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(FeatureColumnName), FeatureColumnName), (nameof(CodeColumnName), CodeColumnName),
                     (nameof(ReconstructionErrorColumnName), ReconstructionErrorColumnName), (nameof(ScoreColumnName), ScoreColumnName),
                     (nameof(PredictedLabelColumnName), PredictedLabelColumnName), (nameof(Model), Model) })
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"LatentAutoencoder: {name} is empty", name);
        if (CodeSize < 1) throw new ArgumentException($"LatentAutoencoder: CodeSize {CodeSize} must be >= 1", nameof(CodeSize));
        if (HiddenSize < 1) throw new ArgumentException($"LatentAutoencoder: HiddenSize {HiddenSize} must be >= 1", nameof(HiddenSize));
        if (Epochs < 1) throw new ArgumentException($"LatentAutoencoder: Epochs {Epochs} must be >= 1", nameof(Epochs));
        if (BatchSize < 1) throw new ArgumentException($"LatentAutoencoder: BatchSize {BatchSize} must be >= 1", nameof(BatchSize));
        if (!(LearningRate > 0)) throw new ArgumentException($"LatentAutoencoder: LearningRate {LearningRate} must be > 0", nameof(LearningRate));
        if (!(Contamination is > 0 and < 1)) throw new ArgumentException($"LatentAutoencoder: Contamination {Contamination} must be in (0, 1)", nameof(Contamination));
    }
}
