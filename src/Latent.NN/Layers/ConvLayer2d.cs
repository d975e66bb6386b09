using Latent.Core;
using Latent.NN.Init;

namespace Latent.NN.Layers;

/// <summary>
/// What <see cref="Conv2d"/>, <see cref="ConvTranspose2d"/>, <see cref="Conv1d"/> and <see cref="ConvTranspose1d"/>
/// share (torch.nn's _ConvNd, groups = 1): the argument checks, the square-kernel hyper-parameters, and the parameters
/// weight and bias [O] registered under PyTorch's names. All start as PyTorch's: kaiming_uniform_(a = √5) =
/// U(±1/√fan_in) for the weight and U(±1/√fan_in) for the bias, with fan_in computed from the weight tensor as for any
/// weight: dim 1 times the kernel size, i.e. C·k·k for a 2-D convolution ([O, C, k, k]), O·k·k for a transposed one
/// ([C, O, k, k]), and C·k or O·k for the 1-D ones ([O, C, k], [C, O, k]).
/// </summary>
public abstract class ConvLayer2d : Layer
{
    private readonly string _name;

    /// <summary>
    /// Checks the arguments and registers the parameters. <paramref name="name"/> is the layer's name in error messages;
    /// <paramref name="transposed"/> selects the weight layout [C, O, k, k] and allows an <paramref name="outputPadding"/>;
    /// <paramref name="spatialDims"/> is 2 for images [N, C, H, W] or 1 for sequences [N, C, L] (weights [O, C, k]).
    /// </summary>
    private protected ConvLayer2d(string name, bool transposed, int inChannels, int outChannels, int kernelSize, Rng rng,
        int stride, int padding, int outputPadding, int dilation, bool bias, int spatialDims = 2)
    {
        _name = name;
        ArgumentNullException.ThrowIfNull(rng);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new ArgumentException($"{name}: channels and kernel size must be positive, got in={inChannels}, out={outChannels}, kernel={kernelSize}");
        if (stride <= 0 || padding < 0 || dilation <= 0 || outputPadding < 0)
            throw new ArgumentException(transposed
                ? $"{name}: stride {stride} and dilation {dilation} must be positive, padding {padding} and output padding {outputPadding} non-negative"
                : $"{name}: stride {stride} and dilation {dilation} must be positive and padding {padding} non-negative");
        // PyTorch's rule: the extra output rows must be fewer than the stride or the dilation (0 always is).
        if (outputPadding >= Math.Max(stride, dilation))
            throw new ArgumentException($"{name}: output padding {outputPadding} must be smaller than stride {stride} or dilation {dilation}");
        InChannels = inChannels; OutChannels = outChannels; KernelSize = kernelSize;
        Stride = stride; Padding = padding; Dilation = dilation; SpatialDims = spatialDims;
        int[] kernel = spatialDims == 1 ? [kernelSize] : [kernelSize, kernelSize];
        int fanIn = (transposed ? outChannels : inChannels) * kernel.Aggregate(1, (a, b) => a * b);
        Weight = AddParameter("weight", transposed
            ? Tensor.Zeros([inChannels, outChannels, .. kernel])
            : Tensor.Zeros([outChannels, inChannels, .. kernel]));
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

    /// <summary>Spatial axes: 2 for images [N, C, H, W], 1 for sequences [N, C, L].</summary>
    public int SpatialDims { get; }

    /// <summary>Kernel height and width k (the kernel length for 1-D layers).</summary>
    public int KernelSize { get; }

    /// <summary>Stride s.</summary>
    public int Stride { get; }

    /// <summary>
    /// Padding p: zeros added to each side of the input (<see cref="Conv2d"/>), or rows/columns removed from each side
    /// of the full output (<see cref="ConvTranspose2d"/>).
    /// </summary>
    public int Padding { get; }

    /// <summary>Dilation d.</summary>
    public int Dilation { get; }

    /// <summary>
    /// [O, C, k, k] (<see cref="Conv2d"/>), [C, O, k, k] (<see cref="ConvTranspose2d"/>), [O, C, k] (<see cref="Conv1d"/>) or
    /// [C, O, k] (<see cref="ConvTranspose1d"/>), PyTorch's layouts.
    /// </summary>
    public Tensor Weight { get; }

    /// <summary>[O], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Throws unless <paramref name="x"/> is [N, C, H, W] (or [N, C, L] for 1-D layers) with C = <see cref="InChannels"/>.</summary>
    private protected void CheckInput(Tensor x)
    {
        if (x.Rank != 2 + SpatialDims || x.Shape[1] != InChannels)
            throw new ArgumentException($"{_name}: input {Shapes.Format(x.Shape)} is not [N,{InChannels},{(SpatialDims == 1 ? "L" : "H,W")}] " +
                $"(weight {Shapes.Format(Weight.Shape)})", nameof(x));
    }
}
