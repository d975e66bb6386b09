using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>
/// 1-D transposed convolution (torch.nn.ConvTranspose1d, groups = 1): x [N, C, L] -> [N, O, Lo] with
/// Lo = (L − 1)s − 2p + d(k − 1) + outputPadding + 1. Weight [C, O, k] (PyTorch's layout). Initialised as PyTorch
/// does: U(±1/√fan_in) for weight and bias, with fan_in = O·k (weight dim 1 times the kernel length).
/// </summary>
public sealed class ConvTranspose1d : ConvLayer2d
{
    /// <summary>A transposed convolution over sequences from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0,
        int outputPadding = 0, int dilation = 1, bool bias = true)
        : base("ConvTranspose1d", transposed: true, inChannels, outChannels, kernelSize, rng, stride, padding, outputPadding, dilation, bias, spatialDims: 1)
    {
        OutputPadding = outputPadding;
    }

    /// <summary>Extra positions added at the end of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>x [N, C, L] -> [N, O, Lo].</summary>
    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        return Tensor.ConvTranspose1d(x, Weight, Bias, Stride, Padding, OutputPadding, Dilation);
    }
}
