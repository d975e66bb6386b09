using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>
/// 2-D cross-correlation (torch.nn.Conv2d, groups = 1): x [N, C, H, W] -> [N, O, Ho, Wo] with
/// Ho = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1. Weight [O, C, k, k] and bias [O] start as PyTorch's:
/// kaiming_uniform_(a = √5) = U(±1/√fan_in) with fan_in = C·k·k, and the bias U(±1/√fan_in).
/// </summary>
public sealed class Conv2d : ConvLayer2d
{
    /// <summary>A square-kernel convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, int dilation = 1, bool bias = true)
        : base("Conv2d", transposed: false, inChannels, outChannels, kernelSize, rng, stride, padding, outputPadding: 0, dilation, bias)
    {
    }

    /// <summary>x [N, C, H, W] -> [N, O, Ho, Wo].</summary>
    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        return Tensor.Conv2d(x, Weight, Bias, Stride, Padding, Dilation);
    }
}
