namespace Latent.Models.Metrics;

/// <summary>Reconstruction quality over a dataset (data expected in [0,1] for <see cref="Bce"/>).</summary>
/// <param name="SsePerImage">Mean over samples of Σᵢ (xᵢ − x̂ᵢ)², the measure of Hinton &amp; Salakhutdinov 2006 (Fig. 2/3 captions).</param>
/// <param name="Mse">Mean over all elements of (xᵢ − x̂ᵢ)².</param>
/// <param name="Bce">Mean over all elements of −[x log x̂ + (1−x) log(1−x̂)], logs clamped at −100 as in PyTorch.</param>
/// <param name="Count">Samples evaluated.</param>
public sealed record ReconstructionScores(double SsePerImage, double Mse, double Bce, int Count);
