using Latent.Core;

namespace Latent.Models.Distributions;

/// <summary>
/// A decoder's p(x|z): a distribution over whole samples, one per row of the batch, whose parameters are the decoder's
/// output [B, ...]. The event is everything after the batch axis, so log-probabilities are [B].
/// </summary>
public interface IReconstructionLikelihood
{
    /// <summary>The data-space mean E[x|z] [B, ...] (σ(ℓ) for Bernoulli logits, μ for a Gaussian): what Decode returns.</summary>
    Tensor Mean { get; }

    /// <summary>−log p(x|z) per sample, [B], for x [B, ...] of the parameters' shape (summed over the sample's elements).</summary>
    Tensor NegativeLogLikelihood(Tensor x);

    /// <summary>
    /// The batch average of <see cref="NegativeLogLikelihood"/>, a scalar: one sum over every element times 1/B
    /// (1/max(1, B)), the reconstruction term of an objective. Equal to NegativeLogLikelihood(x).Mean() up to rounding.
    /// </summary>
    Tensor MeanNegativeLogLikelihood(Tensor x);
}
