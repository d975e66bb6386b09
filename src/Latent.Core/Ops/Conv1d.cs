using Latent.Core.Kernels;

namespace Latent.Core;

// 1-D convolution and its transpose on [N, C, L] tensors (PyTorch's layouts and output sizes), computed by the 2-D
// ops on a single row: x is viewed as [N, C, 1, L] and the weight as [O, C, 1, k] with no vertical padding
// (ConvGeometry.OneD), so the kernels, their scalar twins, the thread-count-independent bits and the backward rules
// are those of Conv2d and ConvTranspose2d. The views share storage; only their reshapes are recorded.
public sealed partial class Tensor
{
    /// <summary>
    /// 1-D cross-correlation (PyTorch's conv1d): x [N,C,L], weight [O,C,k], bias [O] -> [N,O,Lo] with
    /// Lo = ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1. Zero padding at both ends.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong ranks, channel mismatch, bias size, non-positive stride or dilation,
    /// negative padding, or a dilated kernel longer than the padded input.</exception>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        const string op = "Conv1d";
        CheckConv1dArgs(op, x, weight, bias, stride, padding, dilation, biasSize: weight.Rank == 3 ? weight.Shape[0] : 0);
        int n = x.Shape[0], c = x.Shape[1], l = x.Shape[2];
        int o = weight.Shape[0], k = weight.Shape[2];
        if (c != weight.Shape[1])
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: channels {c} != {weight.Shape[1]}");
        if (l + 2 * padding < dilation * (k - 1) + 1)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: " +
                $"kernel (dilated {dilation * (k - 1) + 1}) is longer than the padded input {l + 2 * padding}");
        int lo = ConvGeometry.ConvOut(l, k, stride, padding, dilation);
        var g = ConvGeometry.OneD(n, c, l, o, lo, k, stride, padding, dilation);
        var y = ConvForward(x.Reshape(n, c, 1, l), weight.Reshape(o, c, 1, k), bias, g);
        return y.Reshape(n, o, lo);
    }

    /// <summary>
    /// 1-D transposed convolution (PyTorch's conv_transpose1d, the adjoint of <see cref="Conv1d"/> in its input):
    /// x [N,Cin,L], weight [Cin,Cout,k], bias [Cout] -> [N,Cout,Lo] with Lo = (L−1)s − 2p + d(k−1) + outputPadding + 1.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong ranks, channel mismatch, bias size, non-positive stride or dilation,
    /// negative padding, outputPadding not smaller than stride or dilation, or an empty output.</exception>
    public static Tensor ConvTranspose1d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        const string op = "ConvTranspose1d";
        CheckConv1dArgs(op, x, weight, bias, stride, padding, dilation, biasSize: weight.Rank == 3 ? weight.Shape[1] : 0);
        int n = x.Shape[0], cin = x.Shape[1], l = x.Shape[2];
        int cout = weight.Shape[1], k = weight.Shape[2];
        if (cin != weight.Shape[0])
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: channels {cin} != {weight.Shape[0]}");
        if (outputPadding < 0 || (outputPadding >= stride && outputPadding >= dilation))
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: " +
                $"outputPadding {outputPadding} must be >= 0 and smaller than stride {stride} or dilation {dilation}", nameof(outputPadding));
        int lo = ConvGeometry.ConvTransposeOut(l, k, stride, padding, dilation, outputPadding);
        if (lo <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: " +
                $"output length {lo} is not positive (padding {padding} too large)");
        // The transposed convolution's output is the "big" side; its input is the "small" side.
        var g = ConvGeometry.OneD(n, cout, lo, cin, l, k, stride, padding, dilation);
        var y = ConvBackwardData(x.Reshape(n, cin, 1, l), weight.Reshape(cin, cout, 1, k), bias, g);
        return y.Reshape(n, cout, lo);
    }

    private static void CheckConv1dArgs(string op, Tensor x, Tensor weight, Tensor? bias, int stride, int padding, int dilation, int biasSize)
    {
        if (x.Rank != 3 || weight.Rank != 3)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: both need rank 3");
        if (stride <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: stride {stride} must be positive", nameof(stride));
        if (dilation <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: dilation {dilation} must be positive", nameof(dilation));
        if (padding < 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: padding {padding} must be >= 0", nameof(padding));
        if (weight.Shape[2] <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: empty kernel");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != biasSize))
            throw new ArgumentException($"{op}: weight {Shapes.Format(weight.Shape)} x bias {Shapes.Format(bias.Shape)}: bias must be [{biasSize}]", nameof(bias));
    }
}
