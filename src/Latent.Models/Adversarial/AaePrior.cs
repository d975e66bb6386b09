namespace Latent.Models.Adversarial;

/// <summary>The prior p(z) an adversarial autoencoder matches its codes to.</summary>
public enum AaePrior
{
    /// <summary>N(0, I).</summary>
    Gaussian,

    /// <summary>
    /// A mixture of equally weighted Gaussians whose means lie on a ring in the first two code dimensions (Makhzani
    /// et al. 2015, Fig. 2: ten components in 2-D); further dimensions are N(0, 1).
    /// </summary>
    Mixture,
}
