using System.Runtime.Intrinsics;
using Latent.Core.Kernels;

namespace Latent.KernelCheck;

/// <summary>
/// <see cref="Im2Col.Pack"/> and <see cref="Im2Col.Unpack"/> (phase planes, vector copies and whole-block adds) vs
/// <see cref="Im2ColScalar"/>, bit for bit: every stride 1..4 with kernels 1..5, dilation 1..2, padding 0..2 on odd
/// image sizes up to 29, single-row (1-D) geometries up to length 59, plus the conv VAE's shapes; unpack both accumulating and overwriting.
/// </summary>
public sealed class Im2ColCheck : IKernelCheck
{
    /// <inheritdoc/>
    public string Name => "im2col";

    /// <inheritdoc/>
    public string Path => Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "fallback";

    /// <inheritdoc/>
    public (int Cases, int Mismatches) Run(TextWriter log)
    {
        int cases = 0, bad = 0;
        var rng = new Random(21);
        var geometries = new List<ConvGeometry>
        {
            new(1, 1, 28, 28, 1, 14, 14, 4, 4, 2, 1, 1),
            new(1, 32, 14, 14, 1, 7, 7, 4, 4, 2, 1, 1),
        };
        for (int s = 1; s <= 4; s++)
            for (int k = 1; k <= 5; k++)
                for (int d = 1; d <= 2; d++)
                    for (int p = 0; p <= 2; p++)
                    {
                        int h = rng.Next(1, 30), w = rng.Next(1, 30);
                        int ho = ConvGeometry.ConvOut(h, k, s, p, d), wo = ConvGeometry.ConvOut(w, k, s, p, d);
                        if (ho <= 0 || wo <= 0) continue;
                        if (rng.Next(3) == 0) { ho = Math.Max(1, ho - 1); wo = Math.Max(1, wo - 1); }
                        geometries.Add(new ConvGeometry(1, rng.Next(1, 4), h, w, 1, ho, wo, k, k, s, p, d));
                        // The single-row geometry of a 1-D convolution (padding only at the ends of the row).
                        int l = rng.Next(1, 60), lo = ConvGeometry.ConvOut(l, k, s, p, d);
                        if (lo > 0) geometries.Add(ConvGeometry.OneD(1, rng.Next(1, 4), l, 1, lo, k, s, p, d));
                    }
        foreach (var g in geometries)
        {
            var img = CheckData.Random(rng, g.C * g.BigPlane);
            int ld = g.SmallPlane * 2 + 3, off = g.SmallPlane + 1;
            var fast = Enumerable.Repeat(7f, g.K * ld).ToArray();
            var slow = (float[])fast.Clone();
            Im2Col.Pack(img, g, fast, ld, off);
            Im2ColScalar.Pack(img, g, slow, ld, off);
            cases++;
            if (!CheckData.Same(slow, fast)) { bad++; log.WriteLine($"im2col pack {g}: mismatch"); }

            var cols = CheckData.Random(rng, g.K * ld);
            foreach (bool overwrite in new[] { false, true })
            {
                var fastImg = overwrite ? Enumerable.Repeat(float.NaN, g.C * g.BigPlane).ToArray() : CheckData.Random(rng, g.C * g.BigPlane);
                var slowImg = overwrite ? new float[fastImg.Length] : (float[])fastImg.Clone();
                Im2Col.Unpack(cols, ld, off, g, fastImg, overwrite);
                Im2ColScalar.Unpack(cols, ld, off, g, slowImg);
                cases++;
                if (!CheckData.Same(slowImg, fastImg)) { bad++; log.WriteLine($"im2col unpack overwrite={overwrite} {g}: mismatch"); }
            }
        }
        return (cases, bad);
    }
}
