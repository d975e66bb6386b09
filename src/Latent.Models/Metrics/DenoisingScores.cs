namespace Latent.Models.Metrics;

/// <summary>
/// How well a model restores corrupted inputs (<see cref="ClaimMetrics.DenoisingGain"/>). SSE = Σ (a − x)² per image,
/// averaged over the images; "corrupted" sums only over the elements the corruption changed (x̃_i ≠ x_i), which for
/// block corruption is the hole to inpaint.
/// </summary>
/// <param name="NoisySse">Mean SSE of the corrupted x̃ against the clean x.</param>
/// <param name="RestoredSse">Mean SSE of the reconstruction of x̃ against the clean x.</param>
/// <param name="CleanSse">Mean SSE of the reconstruction of the clean x (the model's own reconstruction error).</param>
/// <param name="NoisySseCorrupted">Mean SSE of x̃ over the changed elements only.</param>
/// <param name="RestoredSseCorrupted">Mean SSE of the reconstruction of x̃ over the changed elements only.</param>
/// <param name="CorruptedFraction">Fraction of the elements the corruption changed.</param>
/// <param name="Count">Images evaluated.</param>
public sealed record DenoisingScores(
    double NoisySse, double RestoredSse, double CleanSse,
    double NoisySseCorrupted, double RestoredSseCorrupted, double CorruptedFraction, int Count)
{
    /// <summary>NoisySse / RestoredSse: above 1 when the model removes more error than it adds.</summary>
    public double Gain => NoisySse / RestoredSse;

    /// <summary>NoisySseCorrupted / RestoredSseCorrupted: restoration of the changed elements alone (inpainting).</summary>
    public double GainCorrupted => NoisySseCorrupted / RestoredSseCorrupted;
}
