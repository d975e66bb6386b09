using Microsoft.ML.Data;

namespace Latent.MLNet;

/// <summary>The scorer graph's per-row outputs as ML.NET's ONNX transformer gives them: vectors of length 1 (it maps no tensor to a scalar column).</summary>
public sealed class ScoreVectors
{
    /// <summary>Σᵢ (xᵢ − x̂ᵢ)², [1].</summary>
    [VectorType(1)]
    public float[] LatentErrorVector { get; set; } = [];

    /// <summary>Error above the threshold, [1].</summary>
    [VectorType(1)]
    public bool[] LatentFlagVector { get; set; } = [];
}
