namespace Latent.Models.IO;

/// <summary>
/// The content of <c>model.json</c> beside <c>model.safetensors</c>: what the weights are (model name, options, code
/// size, input shape), the data they were trained on and its normalisation, the training configuration and the final
/// metrics. <see cref="ModelFile.Load"/> rebuilds the model from <see cref="Model"/> and <see cref="Options"/> through
/// the <see cref="ModelRegistry"/>.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The manifest format this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Format version of the file (<see cref="CurrentFormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Registry name of the model ("ae").</summary>
    public required string Model { get; init; }

    /// <summary>The model's options as text (<see cref="ModelOptions.ToText"/>), read back by the family's parser.</summary>
    public required string Options { get; init; }

    /// <summary>Size of the code.</summary>
    public required int CodeSize { get; init; }

    /// <summary>Shape of one input sample.</summary>
    public required int[] InputShape { get; init; }

    /// <summary>The training data and its normalisation, or null.</summary>
    public DataDescription? Data { get; init; }

    /// <summary>The training configuration as name → value text (epochs, batch, lr, optimizer, schedule, seed, ...).</summary>
    public IReadOnlyDictionary<string, string> Training { get; init; } = new Dictionary<string, string>();

    /// <summary>Final metrics by name (test sse_per_image, mse, bce, loss terms...).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// Quantiles of the reconstruction errors (Σ squared error per sample) of the training samples, at evenly spaced
    /// probabilities 0, 1/(n−1), ..., 1; <c>latent anomaly</c> thresholds at one of them. Null when not computed.
    /// </summary>
    public float[]? TrainingScoreQuantiles { get; init; }

    /// <summary>
    /// SHA-256 (lower-case hex) of the <c>model.safetensors</c> saved with this manifest: <see cref="ModelFile.Load"/>
    /// refuses a weights file that is not this one. Null in manifests written before the checksum was recorded.
    /// </summary>
    public string? WeightsSha256 { get; init; }

    /// <summary>The Latent version that wrote the file.</summary>
    public string LatentVersion { get; init; } = ModelFile.LatentVersion;

    /// <summary>The score below which a fraction <paramref name="probability"/> of the training scores lie (linear interpolation), or null.</summary>
    public double? TrainingScoreQuantile(double probability) =>
        TrainingScoreQuantiles is { Length: > 0 } q ? QuantileOf(q, probability) : null;

    /// <summary>Interpolates between quantiles <paramref name="q"/> taken at evenly spaced probabilities 0..1.</summary>
    public static double QuantileOf(float[] q, double probability)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (q.Length == 0) throw new ArgumentException("no quantiles", nameof(q));
        if (!(probability is >= 0 and <= 1)) throw new ArgumentException($"quantile probability {probability} is not in [0, 1]", nameof(probability));
        if (q.Length == 1) return q[0];
        double pos = probability * (q.Length - 1);
        int i = Math.Min((int)pos, q.Length - 2);
        return q[i] + (pos - i) * (q[i + 1] - q[i]);
    }
}
