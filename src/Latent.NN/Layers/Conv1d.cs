using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>
/// 1-D cross-correlation (torch.nn.Conv1d, groups = 1): x [N, C, L] -> [N, O, Lo] with
/// Lo = ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1. Weight [O, C, k] and bias [O] start as PyTorch's:
/// kaiming_uniform_(a = √5) = U(±1/√fan_in) with fan_in = C·k, and the bias U(±1/√fan_in).
/// </summary>
public sealed class Conv1d : ConvLayer2d
{
    /// <summary>A convolution over sequences from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public Conv1d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, int dilation = 1, bool bias = true)
        : base("Conv1d", transposed: false, inChannels, outChannels, kernelSize, rng, stride, padding, outputPadding: 0, dilation, bias, spatialDims: 1)
    {
    }

    /// <summary>x [N, C, L] -> [N, O, Lo].</summary>
    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        return Tensor.Conv1d(x, Weight, Bias, Stride, Padding, Dilation);
    }
}
