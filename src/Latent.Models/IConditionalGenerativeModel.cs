using Latent.Core;

namespace Latent.Models;

/// <summary>
/// A generative model that can draw samples of a chosen class: a conditional VAE (p(x|z, y)), or a VQ-VAE whose code prior
/// is class-conditional (p(k|y)). <c>latent sample --class K</c> uses this.
/// </summary>
public interface IConditionalGenerativeModel : IGenerativeModel
{
    /// <summary>The number of classes the model was built for; 0 when this instance cannot condition (an unconditional prior).</summary>
    int Classes { get; }

    /// <summary>
    /// Draws <paramref name="count"/> samples [count, ...InputShape]; <paramref name="labels"/> [count] (each in [0, <see cref="Classes"/>))
    /// picks the class of each, null draws the classes uniformly.
    /// </summary>
    Tensor Sample(int count, Rng rng, int[]? labels);
}
