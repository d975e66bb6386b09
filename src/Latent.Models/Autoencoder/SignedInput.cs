using Latent.Core;
using Latent.Models.Distributions;
using Latent.NN;

namespace Latent.Models.Autoencoder;

/// <summary>
/// x ↦ 2x − 1: data in [0, 1] mapped to [−1, 1], the first layer of the encoder of a model with a tanh output
/// (<see cref="OutputDistribution.Tanh"/>), so the network sees its inputs on the scale of its targets. No parameters.
/// </summary>
internal sealed class SignedInput : Layer
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => TanhSquaredError.Signed(x);
}
