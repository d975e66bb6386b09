using Latent.Core;
using Latent.NN;
using Latent.NN.Layers;
using Conv = Latent.NN.Layers.Conv2d;
using ConvT = Latent.NN.Layers.ConvTranspose2d;

namespace Latent.Models.VqVae;

/// <summary>
/// The convolutional networks of the VQ-VAE (van den Oord et al. 2017, §4.1), shared with VQ-VAE-2: two stride-2 4×4
/// convolutions (H×W → H/4×W/4, so 28×28 → 7×7 and 32×32 → 8×8), a 3×3 convolution, residual blocks, and a final ReLU;
/// the decoder mirrors it with transposed convolutions.
/// </summary>
internal static class VqVaeNetworks
{
    /// <summary>x [B, C, H, W] → features [B, hidden, H/4, W/4] (ends with the stack's ReLU).</summary>
    public static Sequential Encoder(int inChannels, int hidden, int resHidden, int blocks, Rng rng)
    {
        var s = new Sequential(
            new Conv(inChannels, hidden / 2, 4, rng, stride: 2, padding: 1), Activation.Relu(),
            new Conv(hidden / 2, hidden, 4, rng, stride: 2, padding: 1), Activation.Relu(),
            new Conv(hidden, hidden, 3, rng, padding: 1));
        AppendResidualStack(s, hidden, resHidden, blocks, rng);
        return s;
    }

    /// <summary>z [B, inChannels, H/4, W/4] → output [B, C, H, W] (linear: the Gaussian mean).</summary>
    public static Sequential Decoder(int inChannels, int outChannels, int hidden, int resHidden, int blocks, Rng rng)
    {
        var s = new Sequential(new Conv(inChannels, hidden, 3, rng, padding: 1));
        AppendResidualStack(s, hidden, resHidden, blocks, rng);
        s.Append(new ConvT(hidden, hidden / 2, 4, rng, stride: 2, padding: 1)).Append(Activation.Relu())
         .Append(new ConvT(hidden / 2, outChannels, 4, rng, stride: 2, padding: 1));
        return s;
    }

    /// <summary>Residual blocks followed by a ReLU (the paper's "residual stack").</summary>
    public static void AppendResidualStack(Sequential s, int channels, int hidden, int blocks, Rng rng)
    {
        for (int i = 0; i < blocks; i++) s.Append(new ResidualBlock(channels, hidden, rng));
        s.Append(Activation.Relu());
    }

    /// <summary>Checks that the input is [C, H, W] with H and W divisible by 4; ArgumentException naming inputShape.</summary>
    public static void CheckImageShape(string model, int[] inputShape, int divisor)
    {
        if (inputShape.Length != 3 || inputShape[1] % divisor != 0 || inputShape[2] % divisor != 0)
            throw new ArgumentException($"{model}: input shape {Shapes.Format(inputShape)} must be [C,H,W] with H and W divisible by {divisor} (e.g. [1,28,28] or [3,32,32])", nameof(inputShape));
    }
}
