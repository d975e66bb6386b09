using Latent.Core.Kernels;

namespace Latent.Core;

// Max and average pooling on [N, C, H, W] tensors over square windows (PyTorch's max_pool2d / avg_pool2d
// with ceil_mode = false). Max pooling is a gather at the argmax, so its backward is a scatter-add whose own
// backward is the gather again; average pooling's backward is its adjoint op, whose backward is the pooling.
public sealed partial class Tensor
{
    /// <summary>
    /// Max pooling: [N,C,H,W] -> [N,C,Ho,Wo], Ho = ⌊(H + 2p − k)/s⌋ + 1. Stride 0 means stride = kernel; padding
    /// (at most kernel/2) is −∞. The gradient goes to the first maximum of each window, as in PyTorch.
    /// </summary>
    public Tensor MaxPool2d(int kernel, int stride = 0, int padding = 0)
    {
        const string op = "MaxPool2d";
        var (n, c, h, w, ho, wo, s) = CheckPool(op, kernel, stride, padding);
        var y = Empty([n, c, ho, wo]);
        var argmax = new int[y.Size];
        Pool2d.MaxForward(Span, n * c, h, w, ho, wo, kernel, s, padding, y.Span, argmax);
        if (ShouldRecord(this))
        {
            var inShape = Shape;
            // Viewed as [N·C, H·W], y is x gathered along axis 1 at argmax.
            y.RecordOp("max_pool2d", [this], g =>
                [g.Reshape(n * c, ho * wo).ScatterAddAlong(1, argmax, [n * c, h * w]).Reshape(inShape)]);
        }
        return y;
    }

    /// <summary>
    /// Average pooling: [N,C,H,W] -> [N,C,Ho,Wo], Ho = ⌊(H + 2p − k)/s⌋ + 1. Stride 0 means stride = kernel;
    /// zero padding (at most kernel/2) is counted in the average (PyTorch's count_include_pad = true).
    /// </summary>
    public Tensor AvgPool2d(int kernel, int stride = 0, int padding = 0)
    {
        const string op = "AvgPool2d";
        var (n, c, h, w, ho, wo, s) = CheckPool(op, kernel, stride, padding);
        var y = Empty([n, c, ho, wo]);
        Pool2d.AvgForward(Span, n * c, h, w, ho, wo, kernel, s, padding, y.Span);
        if (ShouldRecord(this))
        {
            var inShape = Shape;
            y.RecordOp("avg_pool2d", [this], g => [g.AvgPool2dAdjoint(inShape, kernel, s, padding)]);
        }
        return y;
    }

    /// <summary>The adjoint of <see cref="AvgPool2d"/>: this [N,C,Ho,Wo] spread over the windows of a [N,C,H,W] input.</summary>
    internal Tensor AvgPool2dAdjoint(int[] inputShape, int kernel, int stride, int padding)
    {
        int n = inputShape[0], c = inputShape[1], h = inputShape[2], w = inputShape[3];
        var dx = Empty(inputShape);
        Pool2d.AvgAdjoint(Span, n * c, h, w, Shape[2], Shape[3], kernel, stride, padding, dx.Span);
        if (ShouldRecord(this))
            dx.RecordOp("avg_pool2d_adjoint", [this], g => [g.AvgPool2d(kernel, stride, padding)]);
        return dx;
    }

    private (int N, int C, int H, int W, int Ho, int Wo, int Stride) CheckPool(string op, int kernel, int stride, int padding)
    {
        if (Rank != 4)
            throw new ArgumentException($"{op}: input {Shapes.Format(Shape)} needs rank 4 [N,C,H,W]");
        if (kernel <= 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(Shape)}: kernel {kernel} must be positive", nameof(kernel));
        if (stride < 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(Shape)}: stride {stride} must be positive (0 means kernel)", nameof(stride));
        if (padding < 0 || padding > kernel / 2)
            throw new ArgumentException($"{op}: input {Shapes.Format(Shape)}: padding {padding} must be between 0 and kernel/2 = {kernel / 2}", nameof(padding));
        int s = stride == 0 ? kernel : stride;
        int h = Shape[2], w = Shape[3];
        if (h + 2 * padding < kernel || w + 2 * padding < kernel)
            throw new ArgumentException($"{op}: input {Shapes.Format(Shape)}: kernel {kernel} is larger than the padded input {h + 2 * padding}x{w + 2 * padding}");
        return (Shape[0], Shape[1], h, w, (h + 2 * padding - kernel) / s + 1, (w + 2 * padding - kernel) / s + 1, s);
    }
}
