using Latent.Core;
using Latent.NN;
using Conv = Latent.NN.Layers.Conv2d;

namespace Latent.Models.VqVae;

/// <summary>
/// The VQ-VAE residual block (van den Oord et al. 2017, §4.1: "ReLU, 3x3 conv, ReLU, 1x1 conv"):
/// y = x + W₁ₓ₁ ∗ ReLU(W₃ₓ₃ ∗ ReLU(x)), x and y [B, C, H, W].
/// </summary>
public sealed class ResidualBlock : Layer
{
    /// <summary>A block on <paramref name="channels"/> channels with <paramref name="hidden"/> channels in the 3×3 branch.</summary>
    public ResidualBlock(int channels, int hidden, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Conv3 = Add("conv3", new Conv(channels, hidden, 3, rng, padding: 1));
        Conv1 = Add("conv1", new Conv(hidden, channels, 1, rng));
    }

    /// <summary>The 3×3 convolution C → hidden.</summary>
    public Conv Conv3 { get; }

    /// <summary>The 1×1 convolution hidden → C.</summary>
    public Conv Conv1 { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => x + Conv1.Forward(Conv3.Forward(x.Relu()).Relu());
}
