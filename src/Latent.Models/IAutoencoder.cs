using Latent.Core;

namespace Latent.Models;

/// <summary>
/// Anything with an encoder and a decoder (a trained <see cref="AutoencoderModel"/>, the PCA baseline): what
/// evaluation, interpolation and anomaly scoring need.
/// </summary>
public interface IAutoencoder
{
    /// <summary>Shape of one input sample, e.g. [1,28,28] or [784].</summary>
    int[] InputShape { get; }

    /// <summary>Size of the code <c>z</c>.</summary>
    int CodeSize { get; }

    /// <summary>x [B, ...InputShape] → code z [B, CodeSize].</summary>
    Tensor Encode(Tensor x);

    /// <summary>z [B, CodeSize] → reconstruction in data space [B, ...InputShape] (probabilities for Bernoulli outputs).</summary>
    Tensor Decode(Tensor z);

    /// <summary>x [B, ...InputShape] → Decode(Encode(x)) [B, ...InputShape].</summary>
    Tensor Reconstruct(Tensor x);
}
