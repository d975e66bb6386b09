namespace Latent.Core;

// 2-D convolution, its transpose, pooling and upsampling on [N, C, H, W] tensors (PyTorch's layouts).
// Signatures fixed here; the kernels are being written (im2col + GEMM).
public sealed partial class Tensor
{
    /// <summary>Cross-correlation: x [N,C,H,W], weight [O,C,kh,kw], bias [O] -> [N,O,Ho,Wo], Ho = (H + 2p − d(kh−1) − 1)/s + 1.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1) =>
        throw new NotImplementedException("Conv2d");

    /// <summary>Transposed convolution: x [N,C,H,W], weight [C,O,kh,kw] (PyTorch layout), bias [O] -> [N,O,Ho,Wo], Ho = (H−1)s − 2p + d(kh−1) + outputPadding + 1.</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1) =>
        throw new NotImplementedException("ConvTranspose2d");

    /// <summary>Max pooling over kernel×kernel windows (stride defaults to kernel; padding with −∞).</summary>
    public Tensor MaxPool2d(int kernel, int stride = 0, int padding = 0) => throw new NotImplementedException("MaxPool2d");

    /// <summary>Average pooling (stride defaults to kernel; zero padding counted, as PyTorch's count_include_pad=True).</summary>
    public Tensor AvgPool2d(int kernel, int stride = 0, int padding = 0) => throw new NotImplementedException("AvgPool2d");

    /// <summary>Nearest-neighbour upsampling by an integer factor: [N,C,H,W] -> [N,C,H·s,W·s].</summary>
    public Tensor UpsampleNearest2d(int scale) => throw new NotImplementedException("UpsampleNearest2d");
}
