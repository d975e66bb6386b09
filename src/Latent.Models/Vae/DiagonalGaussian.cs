using Latent.Core;

namespace Latent.Models.Vae;

/// <summary>The encoder's posterior q(z|x) = N(μ, diag σ²), given by its mean and log-variance, both [B, Z].</summary>
/// <param name="Mean">μ [B, Z].</param>
/// <param name="LogVariance">log σ² [B, Z].</param>
public sealed record DiagonalGaussian(Tensor Mean, Tensor LogVariance);
