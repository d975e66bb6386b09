namespace Latent.MLNet;

/// <summary><see cref="ScoreVectors"/> as scalar columns (what ML.NET's anomaly evaluator reads).</summary>
public sealed class ScoreScalars
{
    /// <summary>Σᵢ (xᵢ − x̂ᵢ)².</summary>
    public float LatentError { get; set; }

    /// <summary>Error above the threshold.</summary>
    public bool LatentFlag { get; set; }
}
