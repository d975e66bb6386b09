using Latent.Core.Kernels;

namespace Latent.Core;

// 2-D convolution and its transpose on [N, C, H, W] tensors (PyTorch's layouts and output sizes).
//
// Three primitive ops share one geometry (Kernels/ConvGeometry: a "big" image linked to a "small" one by
// kernel taps) and are each other's adjoints, so every backward rule is again one of them:
//   conv_fwd    (big x, W)     -> small      dx = conv_data(g, W)     dW = conv_wgrad(x, g)
//   conv_data   (small y, W)   -> big        dy = conv_fwd(g, W)      dW = conv_wgrad(g, y)
//   conv_wgrad  (big a, small b) -> W        da = conv_data(b, gW)    db = conv_fwd(a, gW)
// conv_wgrad is bilinear in its inputs and recorded like any op, which makes the backward pass itself
// differentiable (second-order gradients such as d/dW ||dL/dx||²). Conv2d is conv_fwd; ConvTranspose2d
// is conv_data with the roles of big and small swapped.
public sealed partial class Tensor
{
    /// <summary>
    /// Cross-correlation (PyTorch's conv2d): x [N,C,H,W], weight [O,C,kh,kw], bias [O] -> [N,O,Ho,Wo] with
    /// Ho = ⌊(H + 2p − d(kh−1) − 1)/s⌋ + 1 (Wo likewise). Zero padding on all four sides.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong ranks, channel mismatch, bias size, non-positive stride or dilation,
    /// negative padding, or a dilated kernel larger than the padded input.</exception>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        const string op = "Conv2d";
        CheckConvArgs(op, x, weight, bias, stride, padding, dilation, biasSize: weight.Rank == 4 ? weight.Shape[0] : 0);
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int o = weight.Shape[0], kh = weight.Shape[2], kw = weight.Shape[3];
        if (c != weight.Shape[1])
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: channels {c} != {weight.Shape[1]}");
        if (h + 2 * padding < dilation * (kh - 1) + 1 || w + 2 * padding < dilation * (kw - 1) + 1)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: " +
                $"kernel (dilated {dilation * (kh - 1) + 1}x{dilation * (kw - 1) + 1}) is larger than the padded input {h + 2 * padding}x{w + 2 * padding}");
        var g = new ConvGeometry(n, c, h, w, o,
            ConvGeometry.ConvOut(h, kh, stride, padding, dilation), ConvGeometry.ConvOut(w, kw, stride, padding, dilation),
            kh, kw, stride, padding, dilation);
        return ConvForward(x, weight, bias, g);
    }

    /// <summary>
    /// Transposed convolution (PyTorch's conv_transpose2d, the adjoint of <see cref="Conv2d"/> in its input):
    /// x [N,Cin,H,W], weight [Cin,Cout,kh,kw], bias [Cout] -> [N,Cout,Ho,Wo] with
    /// Ho = (H−1)s − 2p + d(kh−1) + outputPadding + 1 (Wo likewise).
    /// </summary>
    /// <exception cref="ArgumentException">Wrong ranks, channel mismatch, bias size, non-positive stride or dilation,
    /// negative padding, outputPadding not smaller than stride or dilation, or an empty output.</exception>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        const string op = "ConvTranspose2d";
        CheckConvArgs(op, x, weight, bias, stride, padding, dilation, biasSize: weight.Rank == 4 ? weight.Shape[1] : 0);
        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int cout = weight.Shape[1], kh = weight.Shape[2], kw = weight.Shape[3];
        if (cin != weight.Shape[0])
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: channels {cin} != {weight.Shape[0]}");
        if (outputPadding < 0 || (outputPadding >= stride && outputPadding >= dilation))
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: " +
                $"outputPadding {outputPadding} must be >= 0 and smaller than stride {stride} or dilation {dilation}", nameof(outputPadding));
        int ho = ConvGeometry.ConvTransposeOut(h, kh, stride, padding, dilation, outputPadding);
        int wo = ConvGeometry.ConvTransposeOut(w, kw, stride, padding, dilation, outputPadding);
        if (ho <= 0 || wo <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: " +
                $"output size {ho}x{wo} is not positive (padding {padding} too large)");
        // The transposed convolution's output is the "big" side; its input is the "small" side.
        var g = new ConvGeometry(n, cout, ho, wo, cin, h, w, kh, kw, stride, padding, dilation);
        return ConvBackwardData(x, weight, bias, g);
    }

    private static void CheckConvArgs(string op, Tensor x, Tensor weight, Tensor? bias, int stride, int padding, int dilation, int biasSize)
    {
        if (x.Rank != 4 || weight.Rank != 4)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: both need rank 4");
        if (stride <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: stride {stride} must be positive", nameof(stride));
        if (dilation <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: dilation {dilation} must be positive", nameof(dilation));
        if (padding < 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: padding {padding} must be >= 0", nameof(padding));
        if (weight.Shape[2] <= 0 || weight.Shape[3] <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: empty kernel");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != biasSize))
            throw new ArgumentException($"{op}: weight {Shapes.Format(weight.Shape)} x bias {Shapes.Format(bias.Shape)}: bias must be [{biasSize}]", nameof(bias));
    }

    /// <summary>conv_fwd: big x [N,C,H,W] with weight [O,C,Kh,Kw] (+ bias [O]) -> small [N,O,Ho,Wo].</summary>
    internal static Tensor ConvForward(Tensor x, Tensor weight, Tensor? bias, ConvGeometry g)
    {
        var y = Empty([g.N, g.O, g.Ho, g.Wo]);
        Conv2dKernel.Forward(x.Storage, weight.Storage, bias is null ? default : bias.Span, g, y.Storage);
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        if (ShouldRecord(inputs))
            y.RecordOp("conv2d", inputs, gy =>
            [
                x.RequiresGrad ? ConvBackwardData(gy, weight, null, g) : null,
                weight.RequiresGrad ? ConvWeightGrad(x, gy, g) : null,
                .. bias is null ? Array.Empty<Tensor?>() : [bias.RequiresGrad ? ConvBiasGrad(gy) : null],
            ]);
        return y;
    }

    /// <summary>conv_data: small y [N,O,Ho,Wo] with weight [O,C,Kh,Kw] (+ bias [C]) -> big [N,C,H,W].</summary>
    internal static Tensor ConvBackwardData(Tensor y, Tensor weight, Tensor? bias, ConvGeometry g)
    {
        var x = Empty([g.N, g.C, g.H, g.W]);
        Conv2dKernel.BackwardData(y.Storage, weight.Storage, bias is null ? default : bias.Span, g, x.Storage);
        Tensor[] inputs = bias is null ? [y, weight] : [y, weight, bias];
        if (ShouldRecord(inputs))
            x.RecordOp("conv_transpose2d", inputs, gx =>
            [
                .. y.RequiresGrad && weight.RequiresGrad && !NeedsGrad(gx, y, weight)
                    ? ConvForwardAndWeightGrad(gx, weight, y, g)
                    : [y.RequiresGrad ? ConvForward(gx, weight, null, g) : null, weight.RequiresGrad ? ConvWeightGrad(gx, y, g) : null],
                .. bias is null ? Array.Empty<Tensor?>() : [bias.RequiresGrad ? ConvBiasGrad(gx) : null],
            ]);
        return x;
    }

    /// <summary>
    /// g.Sum([0, 2, 3]) for a bias gradient: the same bits from one kernel that splits the channels between threads,
    /// or the recorded Sum when the gradient itself is differentiated.
    /// </summary>
    private static Tensor ConvBiasGrad(Tensor g)
    {
        if (ShouldRecord(g)) return g.Sum([0, 2, 3]);
        var db = Empty([g.Shape[1]]);
        Conv2dKernel.BiasGrad(g.Storage, g.Shape[0], g.Shape[1], g.Shape[2], g.Shape[3], db.Storage);
        return db;
    }

    /// <summary>
    /// [conv_fwd(big, w), conv_wgrad(big, small)] with big's columns packed once (the backward of conv_transpose2d
    /// when nothing is recorded; results not recorded).
    /// </summary>
    private static Tensor?[] ConvForwardAndWeightGrad(Tensor big, Tensor weight, Tensor small, ConvGeometry g)
    {
        var y = Empty([g.N, g.O, g.Ho, g.Wo]);
        var dw = Empty([g.O, g.C, g.Kh, g.Kw]);
        Conv2dKernel.ForwardAndWeightGrad(big.Storage, weight.Storage, small.Storage, g, y.Storage, dw.Storage);
        return [y, dw];
    }

    /// <summary>conv_wgrad: big a [N,C,H,W] and small b [N,O,Ho,Wo] -> [O,C,Kh,Kw], Σ over n and positions of b·cols(a)ᵀ.</summary>
    internal static Tensor ConvWeightGrad(Tensor a, Tensor b, ConvGeometry g)
    {
        var dw = Empty([g.O, g.C, g.Kh, g.Kw]);
        Conv2dKernel.WeightGrad(a.Storage, b.Storage, g, dw.Storage);
        if (ShouldRecord(a, b))
            dw.RecordOp("conv2d_weight_grad", [a, b], gw =>
            [
                a.RequiresGrad ? ConvBackwardData(b, gw, null, g) : null,
                b.RequiresGrad ? ConvForward(a, gw, null, g) : null,
            ]);
        return dw;
    }
}
