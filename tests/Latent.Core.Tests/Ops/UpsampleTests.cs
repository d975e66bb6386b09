using Latent.Core.Autograd;
using static Latent.Core.Tests.Ops.ConvTestUtil;

namespace Latent.Core.Tests.Ops;

public class UpsampleTests
{
    [Fact]
    public void UpsampleNearest2dRepeatsEachPixel()
    {
        var rng = new Random(30);
        foreach (var (shape, scale) in new[] { (new[] { 1, 1, 1, 1 }, 3), ([2, 3, 4, 5], 2), ([1, 2, 3, 2], 1), ([3, 1, 2, 7], 4) })
        {
            var x = Random(rng, shape);
            var y = x.UpsampleNearest2d(scale);
            var expected = ConvNaive.Upsample(ToDouble(x), shape, scale, out var ys);
            Assert.Equal(ys, y.Shape);
            AssertClose(expected, y.Span, 0, 0, $"Upsample {Shapes.Format(shape)} x{scale}");
        }
    }

    [Fact]
    public void UpsampleGradientsMatchFiniteDifferencesAndAreDifferentiable()
    {
        var rng = new Random(31);
        var x = Random(rng, 2, 3, 4, 3);
        CheckGradients(rng, [x], t => t[0].UpsampleNearest2d(3), r => ConvNaive.Upsample(r[0], x.Shape, 3, out _), "Upsample", samples: 72);

        // Second order against a closed form: for L = Σ R·up(z)², dL/dz = 2 z ⊙ S(R) with S the 2×2 block sum.
        var z = Random(rng, 1, 2, 3, 3).RequireGrad();
        var r = Random(rng, 1, 2, 6, 6);
        var g = Gradients.Grad((z.UpsampleNearest2d(2).Square() * r).Sum(), [z], createGraph: true)[0];
        var d2 = Gradients.Grad((g * g).Sum(), [z])[0];
        // g[i] = 2 z[i] Σ_block R = 2 z[i] s[i], so d/dz ||g||² = 8 z[i] s[i]².
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                {
                    double s = r[0, c, 2 * i, 2 * j] + r[0, c, 2 * i + 1, 2 * j] + r[0, c, 2 * i, 2 * j + 1] + r[0, c, 2 * i + 1, 2 * j + 1];
                    double expected = 8 * z[0, c, i, j] * s * s;
                    Assert.True(Math.Abs(d2[0, c, i, j] - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"[{c},{i},{j}]: {d2[0, c, i, j]} vs {expected}");
                }
    }

    [Fact]
    public void UpsampleErrorsNameTheOpAndShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 4, 4).UpsampleNearest2d(2));
        Assert.Contains("UpsampleNearest2d: input [2,4,4]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(1, 2, 4, 4).UpsampleNearest2d(0));
        Assert.Contains("UpsampleNearest2d: input [1,2,4,4]: scale 0", ex.Message);
    }
}
