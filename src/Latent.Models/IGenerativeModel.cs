using Latent.Core;

namespace Latent.Models;

/// <summary>
/// A model that can draw new samples (a VAE from its prior, a VQ-VAE through its trained code prior, an AAE from
/// the prior it was matched to). <c>latent sample</c> uses this.
/// </summary>
public interface IGenerativeModel
{
    /// <summary>Draws <paramref name="count"/> samples in data space, [count, ...InputShape], using <paramref name="rng"/> for all randomness.</summary>
    Tensor Sample(int count, Rng rng);
}
