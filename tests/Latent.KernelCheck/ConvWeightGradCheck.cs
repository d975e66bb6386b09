using Latent.Core.Kernels;

namespace Latent.KernelCheck;

/// <summary>
/// The conv weight gradient computed as its transpose (cols · sᵀ, chosen by tile count on the running GEMM path) vs
/// the direct product s · colsᵀ, bit for bit, alone and fused with the forward product: the conv VAE's layers and
/// small kernels against many output channels (transposed on every vector path), with 1 to 3 chunks.
/// </summary>
public sealed class ConvWeightGradCheck : IKernelCheck
{
    /// <inheritdoc/>
    public string Name => "conv_wgrad";

    /// <inheritdoc/>
    public string Path => $"{Gemm.PathName},transposed_16x32={Conv2dKernel.TransposeWeightGrad(16, 32)},transposed_4x64={Conv2dKernel.TransposeWeightGrad(4, 64)}";

    /// <inheritdoc/>
    public (int Cases, int Mismatches) Run(TextWriter log)
    {
        int cases = 0, bad = 0;
        var rng = new Random(31);
        var shapes = new (int N, int C, int H, int W, int O, int K, int S, int P)[]
        {
            (128, 1, 28, 28, 32, 4, 2, 1), (6, 32, 14, 14, 64, 4, 2, 1), (37, 1, 9, 11, 64, 2, 1, 0),
            (300, 1, 12, 12, 33, 3, 1, 1), (5, 3, 7, 5, 45, 1, 1, 0), (1, 1, 5, 7, 40, 2, 1, 0), (2, 2, 6, 6, 17, 3, 1, 1),
        };
        foreach (var (n, c, h, w, o, k, s, p) in shapes)
        {
            var g = new ConvGeometry(n, c, h, w, o, ConvGeometry.ConvOut(h, k, s, p, 1), ConvGeometry.ConvOut(w, k, s, p, 1), k, k, s, p, 1);
            var big = CheckData.Random(rng, n * c * h * w, 4f);
            var weight = CheckData.Random(rng, o * g.K, 4f);
            var smallIn = CheckData.Random(rng, n * o * g.SmallPlane, 4f);
            var expected = new float[weight.Length];
            var actual = new float[weight.Length];
            Conv2dKernel.WeightGrad(big, smallIn, g, expected, allowTranspose: false);
            Conv2dKernel.WeightGrad(big, smallIn, g, actual, allowTranspose: true);
            cases++;
            if (!CheckData.Same(expected, actual)) { bad++; log.WriteLine($"conv_wgrad {g}: mismatch"); }
            var small = new float[n * o * g.SmallPlane];
            Conv2dKernel.ForwardAndWeightGrad(big, weight, smallIn, g, small, actual, allowTranspose: true);
            cases++;
            if (!CheckData.Same(expected, actual)) { bad++; log.WriteLine($"conv_wgrad fused {g}: mismatch"); }
        }
        return (cases, bad);
    }
}
