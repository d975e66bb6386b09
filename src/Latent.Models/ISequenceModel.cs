using Latent.Core;

namespace Latent.Models;

/// <summary>A model of sequences that can predict future frames from observed ones (TD-VAE); <c>latent rollout</c> uses this.</summary>
public interface ISequenceModel
{
    /// <summary>Shape of one frame, e.g. [1,32,32].</summary>
    int[] FrameShape { get; }

    /// <summary>
    /// Given observed frames [B, T, ...FrameShape], predicts the next <paramref name="steps"/> frames
    /// [B, steps, ...FrameShape] in data space.
    /// </summary>
    Tensor Rollout(Tensor observed, int steps, Rng rng);
}
