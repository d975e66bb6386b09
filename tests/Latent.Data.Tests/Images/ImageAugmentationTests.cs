using Latent.Core;
using Latent.Data.Images;

namespace Latent.Data.Tests.Images;

public class ImageAugmentationTests
{
    /// <summary>A batch [b, 1, h, w] of distinct random images with a zero border of <paramref name="border"/> pixels.</summary>
    private static Tensor Images(int b, int h, int w, int border, ulong seed = 3)
    {
        var rng = new Rng(seed);
        var x = new float[b * h * w];
        for (int i = 0; i < b; i++)
            for (int y = border; y < h - border; y++)
                for (int c = border; c < w - border; c++)
                    x[(i * h + y) * w + c] = 0.05f + rng.NextFloat();
        return new Tensor(x, b, 1, h, w);
    }

    private static float[] Shifted(ReadOnlySpan<float> img, int h, int w, int dx, int dy)
    {
        var o = new float[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int sy = y - dy, sx = x - dx;
                o[y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? img[sy * w + sx] : 0f;
            }
        return o;
    }

    [Theory]
    [InlineData("none", 0, 0f, 0f)]
    [InlineData("shift:2", 2, 0f, 0f)]
    [InlineData(" shift:1 , rotate:10,scale:0.1", 1, 10f, 0.1f)]
    [InlineData("ROTATE:5", 0, 5f, 0f)]
    public void Parse_reads_the_spec_and_round_trips(string spec, int shift, float rotate, float scale)
    {
        var a = ImageAugmentation.Parse(spec);
        Assert.Equal(shift, a.Shift);
        Assert.Equal(rotate, a.RotateDegrees);
        Assert.Equal(scale, a.Scale);
        Assert.Equal(a, ImageAugmentation.Parse(a.ToString()));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("shift", "not key:value")]
    [InlineData("shift:1.5", "not an integer")]
    [InlineData("shift:-1", "must be >= 0")]
    [InlineData("rotate:200", "[0, 180]")]
    [InlineData("scale:1", "[0, 1)")]
    [InlineData("rotate:x", "not a number")]
    [InlineData("flip:1", "unknown key 'flip'")]
    public void Bad_specs_say_what_is_wrong(string spec, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ImageAugmentation.Parse(spec));
        Assert.Contains(message, e.Message);
        Assert.Equal("spec", e.ParamName);
    }

    [Fact]
    public void Shift_moves_every_image_by_whole_pixels_within_the_range_and_covers_the_range()
    {
        const int h = 9, w = 7, k = 2;
        var x = Images(200, h, w, border: 0);
        var a = ImageAugmentation.Parse("shift:2");
        var y = a.Apply(x, new Rng(5));
        Assert.Equal(x.Shape, y.Shape);
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < 200; i++)
        {
            var src = x.Span.Slice(i * h * w, h * w).ToArray();
            var dst = y.Span.Slice(i * h * w, h * w).ToArray();
            var match = (from dx in Enumerable.Range(-k, 2 * k + 1)
                         from dy in Enumerable.Range(-k, 2 * k + 1)
                         where Shifted(src, h, w, dx, dy).SequenceEqual(dst)
                         select (dx, dy)).ToList();
            Assert.Single(match); // exactly one shift in range explains the output (the images have no zero pixels)
            seen.Add(match[0]);
        }
        Assert.Equal(25, seen.Count); // all (2k+1)² shifts occur in 200 draws
    }

    [Fact]
    public void Same_rng_state_gives_the_same_batch_and_the_input_is_not_changed()
    {
        var x = Images(16, 12, 12, border: 2);
        var before = x.ToArray();
        var a = ImageAugmentation.Parse("shift:2,rotate:15,scale:0.1");
        var y1 = a.Apply(x, new Rng(9)).ToArray();
        var y2 = a.Apply(x, new Rng(9)).ToArray();
        var y3 = a.Apply(x, new Rng(10)).ToArray();
        Assert.Equal(y1, y2);
        Assert.NotEqual(y1, y3);
        Assert.Equal(before, x.ToArray());
    }

    [Fact]
    public void Small_rotation_keeps_a_centred_blob_close_and_keeps_its_mass()
    {
        // A smooth centred blob: a rotation by ≤ 10° and no shift changes it only a little and keeps its total.
        const int n = 21;
        var x = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int c = 0; c < n; c++)
                x[y * n + c] = MathF.Exp(-((y - 10) * (y - 10) + 0.5f * (c - 10) * (c - 10)) / 10f);
        var t = new Tensor(x, 1, 1, n, n);
        var r = ImageAugmentation.Parse("rotate:10").Apply(t, new Rng(1)).ToArray();
        double mass0 = x.Sum(), mass1 = r.Sum();
        Assert.InRange(mass1 / mass0, 0.98, 1.02);
        double diff = x.Zip(r, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(diff > 1e-4, "a non-zero rotation changes the anisotropic blob");
        Assert.True(diff < 0.3, $"max change {diff}");
        // rotate:0-free spec with only a shift of 0 range is the identity copy
        Assert.Equal(x, ImageAugmentation.None.Apply(t, new Rng(1)).ToArray());
    }

    [Fact]
    public void Batches_that_are_not_images_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageAugmentation.Parse("shift:1").Apply(new Tensor(new float[8], 2, 4), new Rng(1)));
        Assert.Contains("[B, C, H, W]", e.Message);
    }
}
