using Latent.Data.Images;

namespace Latent.Data.Tests.Images;

public class ImageOpsTests
{
    private static ImageData Ramp(int w, int h, int c) =>
        new(w, h, c, Enumerable.Range(0, w * h * c).Select(i => i / (float)(w * h * c)).ToArray());

    [Fact]
    public void Gray_uses_rec601_luma_and_composites_alpha_on_black()
    {
        var rgba = new ImageData(2, 1, 4, [1, 0, 0, 1, 0.5f, 0.5f, 0.5f, 0.5f]);
        var g = ImageOps.ToGray(rgba);
        Assert.Equal(1, g.Channels);
        Assert.Equal(0.299f, g.Pixels[0], 6);
        Assert.Equal(0.25f, g.Pixels[1], 6);
        var rgb = ImageOps.ToRgb(new ImageData(1, 1, 2, [0.8f, 0.5f]));
        Assert.Equal([0.4f, 0.4f, 0.4f], rgb.Pixels);
    }

    [Fact]
    public void Area_downscale_averages_blocks_exactly()
    {
        var img = Ramp(4, 4, 1);
        var r = ImageOps.Resize(img, 2, 2, ResizeMode.Area);
        float P(int x, int y) => img.Pixels[y * 4 + x];
        Assert.Equal((P(0, 0) + P(1, 0) + P(0, 1) + P(1, 1)) / 4, r.Pixels[0], 6);
        Assert.Equal((P(2, 2) + P(3, 2) + P(2, 3) + P(3, 3)) / 4, r.Pixels[3], 6);
        // Non-integer ratio: the mean brightness is preserved.
        var odd = ImageOps.Resize(Ramp(7, 5, 3), 3, 2, ResizeMode.Area);
        Assert.Equal(Ramp(7, 5, 3).Pixels.Average(), odd.Pixels.Average(), 5);
    }

    [Fact]
    public void Bilinear_keeps_constants_and_interpolates_midpoints()
    {
        var flat = new ImageData(5, 3, 1, Enumerable.Repeat(0.3f, 15).ToArray());
        Assert.All(ImageOps.Resize(flat, 8, 7, ResizeMode.Bilinear).Pixels, v => Assert.Equal(0.3f, v, 6));
        var two = new ImageData(2, 1, 1, [0f, 1f]);
        var up = ImageOps.Resize(two, 4, 1, ResizeMode.Bilinear);
        Assert.Equal([0f, 0.25f, 0.75f, 1f], up.Pixels);
    }

    [Fact]
    public void Center_crop_and_cover_resize()
    {
        var img = Ramp(5, 3, 1);
        var c = ImageOps.CenterCrop(img, 3, 1);
        Assert.Equal(img.Pixels.Skip(5 + 1).Take(3), c.Pixels);
        var cover = ImageOps.ResizeAndCrop(new ImageData(20, 10, 1, new float[200]), 8, 8);
        Assert.Equal((8, 8), (cover.Width, cover.Height));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageOps.CenterCrop(img, 6, 1));
    }
}
