using Latent.Core;
using Latent.Viz.Images;
using Latent.Viz.Tests.Png;

namespace Latent.Viz.Tests.Images;

public sealed class ImageGridTests
{
    /// <summary>N grey 2×3 images where pixel (n, y, x) = (n*6 + y*3 + x + 1) / 255, so every pixel is identifiable.</summary>
    private static Tensor Numbered(int n, int h = 2, int w = 3)
    {
        var v = new float[n * h * w];
        for (int i = 0; i < v.Length; i++) v[i] = (i + 1) / 255f;
        return Tensor.FromArray(v, n, 1, h, w);
    }

    [Fact]
    public void PlacesEveryPixelExactly()
    {
        var grid = ImageGrid.Compose(Numbered(5), new GridOptions { Columns = 3, Padding = 1, Background = new Rgb(9, 9, 9) });
        // 3 columns × (3 px + 1 gutter) + 1 border; 2 rows × (2 px + 1) + 1.
        Assert.Equal((13, 7, 1), (grid.Width, grid.Height, grid.Channels));
        for (int n = 0; n < 5; n++)
        for (int y = 0; y < 2; y++)
        for (int x = 0; x < 3; x++)
            Assert.Equal(n * 6 + y * 3 + x + 1, grid[1 + (n % 3) * 4 + x, 1 + (n / 3) * 3 + y]);
        // Gutters, border and the empty sixth cell are background.
        Assert.Equal(9, grid[0, 0]);
        Assert.Equal(9, grid[4, 1]);
        Assert.Equal(9, grid[5, 3]);
        Assert.Equal(9, grid[9 + 1, 4 + 1]);
        Assert.Equal(9, grid[12, 6]);
    }

    [Fact]
    public void ScaleRepeatsPixels()
    {
        var grid = ImageGrid.Compose(Numbered(1), new GridOptions { Scale = 2, Padding = 0 });
        Assert.Equal((6, 4), (grid.Width, grid.Height));
        for (int y = 0; y < 4; y++)
        for (int x = 0; x < 6; x++)
            Assert.Equal((y / 2) * 3 + x / 2 + 1, grid[x, y]);
    }

    [Fact]
    public void FlatRowsAndThreeDimensionalInputGiveTheSameGrid()
    {
        var t = Numbered(4);
        var a = ImageGrid.Compose(t, new GridOptions { Columns = 2 });
        var b = ImageGrid.Compose(t.Reshape(4, 6), 2, 3, new GridOptions { Columns = 2 });
        var c = ImageGrid.Compose(t.Reshape(4, 2, 3), new GridOptions { Columns = 2 });
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Pixels, c.Pixels);
    }

    [Fact]
    public void RowsLayoutStartsEachGroupOnANewRow()
    {
        var originals = Tensor.Full(1f, 3, 1, 2, 2);
        var recon = Tensor.Full(0.5f, 2, 1, 2, 2);
        var grid = ImageGrid.ComposeRows([originals, recon], new GridOptions { Columns = 3, Padding = 1, Background = Rgb.Black });
        Assert.Equal((10, 7), (grid.Width, grid.Height));
        Assert.Equal(255, grid[1, 1]);
        Assert.Equal(255, grid[7, 2]);
        Assert.Equal(128, grid[1, 4]);
        Assert.Equal(128, grid[4, 5]);
        Assert.Equal(0, grid[7, 4]); // third cell of the second row is empty
    }

    [Fact]
    public void ColourImagesKeepTheirChannelsAndGreyIsPromotedNextToThem()
    {
        var rgb = Tensor.Zeros(1, 3, 1, 1);
        rgb.Span[0] = 1f; // red
        rgb.Span[2] = 0.2f; // blue
        var grey = Tensor.Full(0.4f, 1, 1, 1, 1);
        var grid = ImageGrid.ComposeRows([rgb, grey], new GridOptions { Padding = 0 });
        Assert.Equal(3, grid.Channels);
        Assert.Equal(new Rgb(255, 0, 51), grid.GetRgb(0, 0));
        Assert.Equal(new Rgb(102, 102, 102), grid.GetRgb(0, 1));
    }

    [Fact]
    public void ColouredBackgroundMakesAnRgbGrid()
    {
        var grid = ImageGrid.Compose(Numbered(1), new GridOptions { Background = Rgb.FromHex("#102030"), Padding = 1 });
        Assert.Equal(3, grid.Channels);
        Assert.Equal(new Rgb(0x10, 0x20, 0x30), grid.GetRgb(0, 0));
        Assert.Equal(new Rgb(1, 1, 1), grid.GetRgb(1, 1));
    }

    [Fact]
    public void GridEncodesToAValidPng()
    {
        var grid = ImageGrid.Compose(Numbered(7), new GridOptions { Columns = 4 });
        var d = PngTestDecoder.Decode(grid.ToPng());
        Assert.Equal(grid.Pixels, d.Pixels);
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", grid.ToDataUri());
    }

    [Fact]
    public void BadShapesAreRejectedWithTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageGrid.Compose(Tensor.Zeros(2, 2, 3, 3)));
        Assert.Contains("[2,2,3,3]", ex.Message);
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(Tensor.Zeros(2, 10), 3, 3));
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose(Tensor.Zeros(0, 1, 2, 2)));
        Assert.Throws<ArgumentException>(() => ImageGrid.ComposeRows([Tensor.Zeros(1, 2, 2), Tensor.Zeros(1, 3, 3)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.Compose(Tensor.Zeros(1, 2, 2), new GridOptions { Columns = 0 }));
    }

    [Fact]
    public void DivergingColourMapIsWhiteAtZeroAndSaturatesAtTheLimit()
    {
        var diff = Tensor.FromArray([-1f, 0f, 1f, 5f], 1, 2, 2);
        var coloured = ColorMap.Diverging(diff, 1f);
        Assert.Equal([1, 3, 2, 2], coloured.Shape);
        var grid = ImageGrid.Compose(coloured, new GridOptions { Padding = 0 });
        Assert.Equal(Rgb.FromHex("#3b4cc0"), grid.GetRgb(0, 0));
        Assert.Equal(Rgb.FromHex("#f2f2f2"), grid.GetRgb(1, 0));
        Assert.Equal(Rgb.FromHex("#b40426"), grid.GetRgb(0, 1));
        Assert.Equal(Rgb.FromHex("#b40426"), grid.GetRgb(1, 1));
    }

    [Fact]
    public void SequentialColourMapRunsFromDarkToBright()
    {
        var lo = ColorMap.Map(0f);
        var hi = ColorMap.Map(1f);
        Assert.True(lo.R + lo.G + lo.B < hi.R + hi.G + hi.B);
        Assert.Equal(lo, ColorMap.Map(float.NaN));
        var t = ColorMap.Sequence(Tensor.FromArray([0f, 10f], 1, 1, 1, 2), 0f, 10f);
        Assert.Equal([1, 3, 1, 2], t.Shape);
    }
}
