using Latent.Core;

namespace Latent.Models;

/// <summary>
/// A model that can estimate the negative log-likelihood −log p(x) of data, e.g. a VAE by importance sampling with
/// K samples from the encoder (Burda et al. 2016, "Importance weighted autoencoders", eq. 8:
/// log p(x) ≈ log (1/K) Σₖ p(x, zₖ) / q(zₖ|x)). <c>latent eval --nll-samples K</c> reports it when a model implements this.
/// </summary>
public interface ILikelihoodModel
{
    /// <summary>The estimate of −log p(x) in nats for each sample of x [B, ...InputShape], [B], using <paramref name="samples"/> importance samples.</summary>
    double[] NegativeLogLikelihood(Tensor x, int samples, Rng rng);
}
