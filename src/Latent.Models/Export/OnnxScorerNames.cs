namespace Latent.Models.Export;

/// <summary>The graph input and output names of <see cref="OnnxExporter.ExportScorer"/> (a host maps its columns to them).</summary>
/// <param name="Input">The sample, float [1, ...InputShape].</param>
/// <param name="Code">The code, float [Z].</param>
/// <param name="ReconstructionError">Sum of squared reconstruction errors, float [1].</param>
/// <param name="IsAnomaly">Error above the threshold, bool [1].</param>
public sealed record OnnxScorerNames(string Input = "x", string Code = "code", string ReconstructionError = "reconstruction_error", string IsAnomaly = "is_anomaly");
