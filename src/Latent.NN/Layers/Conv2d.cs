using Latent.Core;
using Latent.NN.Init;

namespace Latent.NN.Layers;

/// <summary>
/// 2-D cross-correlation (torch.nn.Conv2d, groups = 1): x [N, C, H, W] -> [N, O, Ho, Wo] with
/// Ho = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1. Weight [O, C, k, k] and bias [O] start as PyTorch's:
/// kaiming_uniform_(a = √5) = U(±1/√fan_in) with fan_in = C·k·k, and the bias U(±1/√fan_in).
/// </summary>
public sealed class Conv2d : Layer
{
    /// <summary>A square-kernel convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, int dilation = 1, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"Conv2d: channels and kernel size must be positive, got in={inChannels}, out={outChannels}, kernel={kernelSize}");
        if (stride <= 0 || padding < 0 || dilation <= 0)
            throw new ArgumentException($"Conv2d: stride {stride} and dilation {dilation} must be positive and padding {padding} non-negative");
        InChannels = inChannels; OutChannels = outChannels; KernelSize = kernelSize;
        Stride = stride; Padding = padding; Dilation = dilation;
        int fanIn = inChannels * kernelSize * kernelSize;
        Weight = AddParameter("weight", Tensor.Zeros(outChannels, inChannels, kernelSize, kernelSize));
        Initializers.KaimingUniformDefault(Weight, fanIn, rng);
        if (bias)
        {
            Bias = AddParameter("bias", Tensor.Zeros(outChannels));
            Initializers.Uniform(Bias, 1f / MathF.Sqrt(fanIn), rng);
        }
    }

    /// <summary>Input channels C.</summary>
    public int InChannels { get; }

    /// <summary>Output channels O.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width k.</summary>
    public int KernelSize { get; }

    /// <summary>Stride s.</summary>
    public int Stride { get; }

    /// <summary>Zero padding p on each side.</summary>
    public int Padding { get; }

    /// <summary>Dilation d.</summary>
    public int Dilation { get; }

    /// <summary>[O, C, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>[O], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>x [N, C, H, W] -> [N, O, Ho, Wo].</summary>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 4 || x.Shape[1] != InChannels)
            throw new ArgumentException($"Conv2d: input {Shapes.Format(x.Shape)} is not [N,{InChannels},H,W] (weight {Shapes.Format(Weight.Shape)})", nameof(x));
        return Tensor.Conv2d(x, Weight, Bias, Stride, Padding, Dilation);
    }
}
