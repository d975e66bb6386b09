using Latent.Core;
using Latent.Viz.Images;

namespace Latent.Viz.Tests.Images;

public class BitmapFontTests
{
    /// <summary>The glyph as 7 strings of 5 characters, '#' for a set pixel.</summary>
    private static string[] Picture(char c) =>
        Enumerable.Range(0, BitmapFont.GlyphHeight).Select(y => new string(Enumerable.Range(0, BitmapFont.GlyphWidth).Select(x => BitmapFont.IsSet(c, x, y) ? '#' : '.').ToArray())).ToArray();

    [Fact]
    public void Glyphs_have_the_classic_shapes()
    {
        Assert.Equal([".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."], Picture('0'));
        Assert.Equal(["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"], Picture('H'));
        Assert.Equal(["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."], Picture('T'));
        Assert.Equal([".....", ".....", ".###.", "....#", ".####", "#...#", ".####"], Picture('a'));
        Assert.All(Picture(' '), row => Assert.Equal(".....", row));
        Assert.Equal(Picture('?'), Picture('é')); // outside the table
    }

    [Fact]
    public void Draw_writes_scaled_pixels_clipped_to_the_raster()
    {
        var r = new Raster(20, 20, 1);
        r.Fill(Rgb.White);
        BitmapFont.Draw(r, "T", 1, 2, Rgb.Black, scale: 2);
        Assert.Equal(0, r[1, 2]); // the bar's first pixel, 2×2
        Assert.Equal(0, r[2, 3]);
        Assert.Equal(255, r[1, 4]); // below the bar at the left: empty
        Assert.Equal(0, r[5, 15]); // the stem's last row (y = 2 + 6·2 + 1)
        Assert.Equal(11 * 6 - 1, BitmapFont.MeasureWidth("T-shirt/top"));
        Assert.Equal(2 * (3 * 6 - 1), BitmapFont.MeasureWidth("abc", 2));
        Assert.Equal(0, BitmapFont.MeasureWidth(""));
        BitmapFont.Draw(r, "WWWWWW", 15, 18, Rgb.Black); // runs off the right and bottom edges without throwing
        Assert.Throws<ArgumentException>(() => BitmapFont.Draw(r, "x", 0, 0, new Rgb(255, 0, 0)));
    }

    [Fact]
    public void Labelled_rows_put_each_name_in_a_left_margin_beside_its_row()
    {
        var a = Tensor.Full(0.5f, 2, 1, 8, 8);
        var b = Tensor.Full(1f, 2, 1, 8, 8);
        var plain = ImageGrid.ComposeRows([a, b], new GridOptions { Columns = 2, Scale = 4 });
        var labelled = ImageGrid.ComposeLabelledRows([a, b], ["cat", "dog"], new GridOptions { Columns = 2, Scale = 4 });
        int margin = labelled.Width - plain.Width;
        Assert.Equal(2 + BitmapFont.MeasureWidth("cat", 1) + BitmapFont.Advance, margin); // 32-pixel rows: font scale 1
        Assert.Equal(plain.Height, labelled.Height);
        // The images are shifted right by the margin, unchanged.
        for (int y = 0; y < plain.Height; y++)
        for (int x = 0; x < plain.Width; x++)
            Assert.Equal(plain[x, y], labelled[x + margin, y]);
        // Black text in each row's band of the margin, none between the bands.
        int cell = 32 + 2;
        bool Ink(int top, int bottom) => Enumerable.Range(top, bottom - top).Any(y => Enumerable.Range(0, margin).Any(x => labelled[x, y] == 0));
        Assert.True(Ink(2, 2 + 32));
        Assert.True(Ink(2 + cell, 2 + cell + 32));
        Assert.False(Ink(0, 2));
        Assert.Throws<ArgumentException>(() => ImageGrid.ComposeLabelledRows([a, b], ["one"]));
    }
}
