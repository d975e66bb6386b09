using Latent.Core;
using Latent.NN.Init;

namespace Latent.NN.Layers;

/// <summary>
/// 2-D transposed convolution (torch.nn.ConvTranspose2d, groups = 1): x [N, C, H, W] -> [N, O, Ho, Wo] with
/// Ho = (H − 1)s − 2p + d(k − 1) + outputPadding + 1. Weight [C, O, k, k] (PyTorch's layout). Initialised as
/// PyTorch does: U(±1/√fan_in) for weight and bias, where fan_in is computed from the weight tensor as for any
/// other weight, i.e. weight dim 1 times the kernel area: O·k·k.
/// </summary>
public sealed class ConvTranspose2d : Layer
{
    /// <summary>A square-kernel transposed convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0,
        int outputPadding = 0, int dilation = 1, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"ConvTranspose2d: channels and kernel size must be positive, got in={inChannels}, out={outChannels}, kernel={kernelSize}");
        if (stride <= 0 || padding < 0 || dilation <= 0 || outputPadding < 0)
            throw new ArgumentException($"ConvTranspose2d: stride {stride} and dilation {dilation} must be positive, padding {padding} and output padding {outputPadding} non-negative");
        // PyTorch's rule: the extra output rows must be fewer than the stride or the dilation.
        if (outputPadding >= Math.Max(stride, dilation))
            throw new ArgumentException($"ConvTranspose2d: output padding {outputPadding} must be smaller than stride {stride} or dilation {dilation}");
        InChannels = inChannels; OutChannels = outChannels; KernelSize = kernelSize;
        Stride = stride; Padding = padding; OutputPadding = outputPadding; Dilation = dilation;
        int fanIn = outChannels * kernelSize * kernelSize;
        Weight = AddParameter("weight", Tensor.Zeros(inChannels, outChannels, kernelSize, kernelSize));
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

    /// <summary>Padding p removed from each side of the full output.</summary>
    public int Padding { get; }

    /// <summary>Extra rows/columns added on one side of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>Dilation d.</summary>
    public int Dilation { get; }

    /// <summary>[C, O, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>[O], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>x [N, C, H, W] -> [N, O, Ho, Wo].</summary>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 4 || x.Shape[1] != InChannels)
            throw new ArgumentException($"ConvTranspose2d: input {Shapes.Format(x.Shape)} is not [N,{InChannels},H,W] (weight {Shapes.Format(Weight.Shape)})", nameof(x));
        return Tensor.ConvTranspose2d(x, Weight, Bias, Stride, Padding, OutputPadding, Dilation);
    }
}
