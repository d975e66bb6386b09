using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>
/// 2-D transposed convolution (torch.nn.ConvTranspose2d, groups = 1): x [N, C, H, W] -> [N, O, Ho, Wo] with
/// Ho = (H − 1)s − 2p + d(k − 1) + outputPadding + 1. Weight [C, O, k, k] (PyTorch's layout). Initialised as
/// PyTorch does: U(±1/√fan_in) for weight and bias, where fan_in is computed from the weight tensor as for any
/// other weight, i.e. weight dim 1 times the kernel area: O·k·k.
/// </summary>
public sealed class ConvTranspose2d : ConvLayer2d
{
    /// <summary>A square-kernel transposed convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0,
        int outputPadding = 0, int dilation = 1, bool bias = true)
        : base("ConvTranspose2d", transposed: true, inChannels, outChannels, kernelSize, rng, stride, padding, outputPadding, dilation, bias)
    {
        OutputPadding = outputPadding;
    }

    /// <summary>Extra rows/columns added on one side of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>x [N, C, H, W] -> [N, O, Ho, Wo].</summary>
    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        return Tensor.ConvTranspose2d(x, Weight, Bias, Stride, Padding, OutputPadding, Dilation);
    }
}
