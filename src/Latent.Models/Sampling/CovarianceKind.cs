namespace Latent.Models.Sampling;

/// <summary>The covariance of each component of a <see cref="GaussianMixture"/>.</summary>
public enum CovarianceKind
{
    /// <summary>A full Z×Z covariance per component (sampled through its Cholesky factor).</summary>
    Full,

    /// <summary>A diagonal covariance per component (Z variances).</summary>
    Diagonal,
}
