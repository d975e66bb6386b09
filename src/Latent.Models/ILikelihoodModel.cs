using Latent.Core;

namespace Latent.Models;

/// <summary>
/// A model with a tractable estimate of the data log-likelihood (a VAE through importance sampling of its
/// posterior). <c>latent eval</c> uses this when a model offers it.
/// </summary>
public interface ILikelihoodModel
{
    /// <summary>
    /// The importance-sampled estimate of −log p(x) with <paramref name="k"/> samples per input (Burda, Grosse &amp;
    /// Salakhutdinov 2016), averaged over the batch x [B, ...InputShape], in nats per sample. Randomness from
    /// <paramref name="rng"/>; runs without recording gradients.
    /// </summary>
    double ImportanceSampledNll(Tensor x, int k, Rng rng);
}
