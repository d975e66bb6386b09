using Latent.Core;
using Latent.Models.Inpainting;

namespace Latent.Models.Tests.Inpainting;

public class InpaintingTests
{
    /// <summary>A linear "autoencoder" whose manifold is the images a + b·column: Encode is the least-squares fit.</summary>
    private sealed class RampModel(int h, int w) : IAutoencoder
    {
        public int[] InputShape => [1, h, w];
        public int CodeSize => 2;

        public Tensor Encode(Tensor x)
        {
            int b = x.Shape[0], n = h * w;
            var z = new float[b * 2];
            double mx = (w - 1) / 2.0, sxx = 0;
            for (int p = 0; p < n; p++) sxx += (p % w - mx) * (p % w - mx);
            for (int i = 0; i < b; i++)
            {
                double mean = 0, sxy = 0;
                for (int p = 0; p < n; p++) mean += x.Span[i * n + p];
                mean /= n;
                for (int p = 0; p < n; p++) sxy += (p % w - mx) * (x.Span[i * n + p] - mean);
                double slope = sxy / sxx;
                z[2 * i] = (float)(mean - slope * mx);
                z[2 * i + 1] = (float)slope;
            }
            return new Tensor(z, [b, 2]);
        }

        public Tensor Decode(Tensor z)
        {
            int b = z.Shape[0], n = h * w;
            var v = new float[b * n];
            for (int i = 0; i < b; i++)
                for (int p = 0; p < n; p++) v[i * n + p] = z.Span[2 * i] + z.Span[2 * i + 1] * (p % w);
            return new Tensor(v, [b, 1, h, w]);
        }

        public Tensor Reconstruct(Tensor x) => Decode(Encode(x));
    }

    private static Tensor Ramp(int h, int w, float a, float b)
    {
        var v = new float[h * w];
        for (int p = 0; p < v.Length; p++) v[p] = a + b * (p % w);
        return new Tensor(v, [1, 1, h, w]);
    }

    [Fact]
    public void Projection_recovers_an_image_on_the_manifold_and_keeps_known_pixels()
    {
        var model = new RampModel(12, 12);
        var x = Ramp(12, 12, 0.1f, 0.06f);
        var hole = InpaintMask.Parse("box:0,3,6,6").Make(12, 12, new Rng(1)); // the left half of rows 3..8
        var restored = ManifoldProjection.Inpaint(model, x, [hole], iterations: 300);
        var once = ManifoldProjection.Inpaint(model, x, [hole], iterations: 1);
        Assert.True(Inpainter.HolePsnr(restored, x, [hole]) > 45, "projection should converge to the ramp");
        Assert.True(Inpainter.HolePsnr(restored, x, [hole]) > Inpainter.HolePsnr(once, x, [hole]) + 10);
        for (int p = 0; p < hole.Length; p++)
            if (!hole[p]) Assert.Equal(x.Span[p], restored.Span[p]);
    }

    [Fact]
    public void Projection_starts_from_the_given_fill()
    {
        var model = new RampModel(8, 8);
        var x = Ramp(8, 8, 0.2f, 0.05f);
        var hole = InpaintMask.Parse("box:0,0,8,2").Make(8, 8, new Rng(0));
        var zero = ManifoldProjection.Inpaint(model, x, [hole], iterations: 1, fill: 0f);
        var mean = ManifoldProjection.Inpaint(model, x, [hole], iterations: 1);
        Assert.NotEqual(zero.ToArray(), mean.ToArray());
        Assert.True(Inpainter.HolePsnr(ManifoldProjection.Inpaint(model, x, [hole], iterations: 300, fill: 0f), x, [hole]) > 40);
    }

    [Fact]
    public void Choosing_passes_scores_each_candidate_as_the_projection_would()
    {
        var model = new RampModel(12, 12);
        var x = Ramp(12, 12, 0.1f, 0.06f);
        var hole = InpaintMask.Parse("box:0,3,6,6").Make(12, 12, new Rng(1));
        var choice = ManifoldProjection.ChoosePasses(model, x, [hole], [300, 1, 10, 10], fill: 0f);
        Assert.Equal([1, 10, 300], choice.Scores.Select(s => s.Passes).ToArray());
        foreach (var s in choice.Scores)
            Assert.Equal(Inpainter.HolePsnr(ManifoldProjection.Inpaint(model, x, [hole], s.Passes, 0f), x, [hole]), s.HolePsnr, 9);
        // The ramp model converges: more passes are better here, so the largest count wins.
        Assert.Equal(300, choice.Passes);
        Assert.Throws<ArgumentException>(() => ManifoldProjection.ChoosePasses(model, x, [hole], [0, 5]));
        Assert.Throws<ArgumentException>(() => ManifoldProjection.ChoosePasses(model, x, [hole], []));
    }

    [Fact]
    public void Classical_methods_fill_a_constant_image_with_the_constant()
    {
        foreach (var method in new[] { InpaintMethod.Telea, InpaintMethod.NavierStokes })
        {
            var x = Tensor.Full(0.4f, 1, 1, 16, 16);
            var hole = InpaintMask.Parse("block:0.3").Make(16, 16, new Rng(3));
            var r = Inpainter.Inpaint(method, x, [hole]);
            Assert.All(r.ToArray(), v => Assert.Equal(0.4f, v, 4));
        }
    }

    [Fact]
    public void Classical_methods_beat_a_grey_fill_on_a_smooth_ramp()
    {
        var x = Ramp(20, 20, 0.6f, 0.02f);
        var hole = InpaintMask.Parse("box:6,6,8,8").Make(20, 20, new Rng(0));
        var telea = Inpainter.Inpaint(InpaintMethod.Telea, x, [hole]);
        var ns = Inpainter.Inpaint(InpaintMethod.NavierStokes, x, [hole]);
        double grey = Inpainter.HolePsnr(Inpainter.Masked(x, [hole]), x, [hole]);
        Assert.True(Inpainter.HolePsnr(telea, x, [hole]) > grey + 10);
        Assert.True(Inpainter.HolePsnr(ns, x, [hole]) > grey + 5);
    }

    [Fact]
    public void Masks_have_the_requested_size_and_are_reproducible()
    {
        var block = InpaintMask.Parse("block:0.25");
        var a = block.Make(28, 28, new Rng(5));
        Assert.Equal(14 * 14, a.Count(b => b));
        Assert.Equal(a, block.Make(28, 28, new Rng(5)));
        Assert.Equal(6, InpaintMask.Parse("box:1,2,3,2").Make(10, 10, new Rng(0)).Count(b => b));
        var s = InpaintMask.Parse("strokes:3");
        Assert.Equal(s.Make(28, 28, new Rng(9)), s.Make(28, 28, new Rng(9)));
        Assert.NotEqual(s.Make(28, 28, new Rng(9)), s.Make(28, 28, new Rng(10)));
    }

    [Theory]
    [InlineData("block:1.5", "FRACTION")]
    [InlineData("box:1,2,3", "four")]
    [InlineData("strokes:0", "1..100")]
    [InlineData("blob:3", "not one of")]
    public void Bad_masks_name_the_option(string text, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => InpaintMask.Parse(text));
        Assert.Contains("--mask", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_box_outside_the_image_is_an_error()
    {
        var e = Assert.Throws<ArgumentException>(() => InpaintMask.Parse("box:40,0,3,3").Make(28, 28, new Rng(0)));
        Assert.Contains("outside", e.Message);
    }
}
