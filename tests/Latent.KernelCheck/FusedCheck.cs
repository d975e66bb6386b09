using Latent.Core.Kernels;

namespace Latent.KernelCheck;

/// <summary>
/// <see cref="ReluBackward.Run"/> and <see cref="AdamKernel.Run"/> vs their scalar twins, bit for bit, for every
/// length 0..256 and three long odd ones, the last long enough for Adam to split between threads (the vector paths
/// evaluate the scalar expressions in the same order).
/// </summary>
public sealed class FusedCheck : IKernelCheck
{
    /// <inheritdoc/>
    public string Name => "fused";

    /// <inheritdoc/>
    public string Path => $"relu_grad={ReluBackward.PathName},adam={AdamKernel.PathName}";

    /// <inheritdoc/>
    public (int Cases, int Mismatches) Run(TextWriter log)
    {
        int cases = 0, bad = 0;
        var rng = new Random(11);
        foreach (int n in Enumerable.Range(0, 257).Concat([1001, 4099, 70_001]))
        {
            var g = CheckData.Random(rng, n);
            var x = CheckData.Random(rng, n);
            if (n > 2) { x[0] = -0f; x[1] = float.NaN; }
            var e = new float[n];
            var a = new float[n];
            ReluBackward.Scalar(g, x, e);
            ReluBackward.Run(g, x, a);
            cases++;
            if (!CheckData.Same(e, a)) { bad++; log.WriteLine($"relu_grad n={n}: mismatch"); }

            var p = CheckData.Random(rng, n);
            var m = CheckData.Random(rng, n);
            var v = CheckData.Random(rng, n).Select(MathF.Abs).ToArray();
            var (p2, m2, v2) = ((float[])p.Clone(), (float[])m.Clone(), (float[])v.Clone());
            AdamKernel.Scalar(p, g, m, v, 0.9f, 0.999f, 1e-3f, 0.05f, 1e-8f, n % 2 == 0 ? 0f : 0.01f);
            AdamKernel.Run(p2, g, m2, v2, 0.9f, 0.999f, 1e-3f, 0.05f, 1e-8f, n % 2 == 0 ? 0f : 0.01f);
            cases++;
            if (!CheckData.Same(p, p2) || !CheckData.Same(m, m2) || !CheckData.Same(v, v2)) { bad++; log.WriteLine($"adam n={n}: mismatch"); }
        }
        return (cases, bad);
    }
}
