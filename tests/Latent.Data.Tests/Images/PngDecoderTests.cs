using Latent.Data.Images;

namespace Latent.Data.Tests.Images;

public class PngDecoderTests
{
    private static int Pattern(int x, int y, int s, int max) => (x * 37 + y * 11 + s * 101 + x * y) % (max + 1);

    [Theory]
    [InlineData(0, 8)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(0, 4)]
    [InlineData(0, 16)]
    [InlineData(2, 8)]
    [InlineData(2, 16)]
    [InlineData(4, 8)]
    [InlineData(4, 16)]
    [InlineData(6, 8)]
    [InlineData(6, 16)]
    public void Decodes_every_colour_type_and_depth_with_all_filters(int color, int depth)
    {
        int w = 13, h = 11, max = (1 << depth) - 1, spp = PngTestEncoder.Samples(color);
        var png = PngTestEncoder.Encode(w, h, color, depth, (x, y, s) => Pattern(x, y, s, max));

        var img = PngDecoder.Decode(png);

        Assert.Equal((w, h, spp), (img.Width, img.Height, img.Channels));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int s = 0; s < spp; s++)
                    Assert.Equal(Pattern(x, y, s, max) / (float)max, img[y, x, s], 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Each_filter_alone_round_trips(int filter)
    {
        var png = PngTestEncoder.Encode(9, 7, 6, 8, (x, y, s) => Pattern(x, y, s, 255), filter: filter);
        var img = PngDecoder.Decode(png);
        Assert.Equal(Pattern(8, 6, 3, 255) / 255f, img[6, 8, 3], 6);
        Assert.Equal(Pattern(4, 3, 1, 255) / 255f, img[3, 4, 1], 6);
    }

    [Theory]
    [InlineData(0, 8, 17, 9)]
    [InlineData(2, 8, 10, 10)]
    [InlineData(0, 1, 3, 5)]
    [InlineData(6, 16, 1, 1)]
    public void Adam7_interlaced_equals_non_interlaced(int color, int depth, int w, int h)
    {
        int max = (1 << depth) - 1;
        var a = PngDecoder.Decode(PngTestEncoder.Encode(w, h, color, depth, (x, y, s) => Pattern(x, y, s, max), interlace: true));
        var b = PngDecoder.Decode(PngTestEncoder.Encode(w, h, color, depth, (x, y, s) => Pattern(x, y, s, max)));
        Assert.Equal(b.Pixels, a.Pixels);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    [InlineData(1)]
    public void Palette_with_trns_gives_rgba(int depth)
    {
        int n = 1 << Math.Min(depth, 3);
        var plte = Enumerable.Range(0, n).SelectMany(i => new[] { (byte)(i * 30), (byte)(255 - i), (byte)(i * 7) }).ToArray();
        byte[] trns = [0, 128]; // entries beyond the tRNS table are opaque
        var png = PngTestEncoder.Encode(6, 5, 3, depth, (x, y, _) => (x + y) % n, plte, trns);

        var img = PngDecoder.Decode(png);

        Assert.Equal(4, img.Channels);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 6; x++)
            {
                int k = (x + y) % n;
                Assert.Equal(k * 30 / 255f, img[y, x, 0], 6);
                Assert.Equal((255 - k) / 255f, img[y, x, 1], 6);
                Assert.Equal(k == 0 ? 0f : k == 1 ? 128 / 255f : 1f, img[y, x, 3], 6);
            }
    }

    [Fact]
    public void Palette_without_trns_is_rgb_and_gray_trns_adds_alpha()
    {
        var rgb = PngDecoder.Decode(PngTestEncoder.Encode(2, 2, 3, 8, (x, _, _) => x, [10, 20, 30, 40, 50, 60]));
        Assert.Equal(3, rgb.Channels);
        Assert.Equal(40 / 255f, rgb[1, 1, 0], 6);

        var ga = PngDecoder.Decode(PngTestEncoder.Encode(3, 1, 0, 8, (x, _, _) => x * 100, trns: [0, 100]));
        Assert.Equal(2, ga.Channels);
        Assert.Equal([0f, 1f, 100 / 255f, 0f, 200 / 255f, 1f], ga.Pixels);
    }

    private static void AssertFormatError(byte[] png, string expected)
    {
        var e = Assert.Throws<DatasetFormatException>(() => PngDecoder.Decode(png, "pic.png"));
        Assert.StartsWith("pic.png: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    private static byte[] Good() => PngTestEncoder.Encode(4, 4, 0, 8, (x, y, _) => x * y);

    [Fact]
    public void Bad_signature() => AssertFormatError([.. "GIF89a-not-a-png"u8], "offset 0: expected the PNG signature");

    [Fact]
    public void Crc_mismatch_is_detected()
    {
        var png = Good();
        png[8 + 8 + 2] ^= 1; // a byte inside IHDR's data
        AssertFormatError(png, "chunk 'IHDR' CRC mismatch");
    }

    [Fact]
    public void Truncated_files_are_detected()
    {
        var png = Good();
        AssertFormatError(png[..(png.Length - 12)], "without an IEND chunk");
        AssertFormatError(png[..40], "truncated");
        AssertFormatError(png[..8], "no IHDR");
    }

    [Fact]
    public void Short_image_data_is_detected()
    {
        var raw = PngTestEncoder.Scanlines(4, 4, 0, 8, (x, _, _) => x, false, 0);
        var png = PngTestEncoder.Assemble(PngTestEncoder.Ihdr(4, 4, 8, 0), PngTestEncoder.Chunk("IDAT", PngTestEncoder.Compress(raw[..^3])), PngTestEncoder.Chunk("IEND", []));
        AssertFormatError(png, "IDAT: expected 20 bytes of image data after decompression, found 17");
    }

    [Fact]
    public void Garbage_zlib_is_a_format_error()
    {
        var png = PngTestEncoder.Assemble(PngTestEncoder.Ihdr(4, 4, 8, 0), PngTestEncoder.Chunk("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0x00, 0x13]), PngTestEncoder.Chunk("IEND", []));
        AssertFormatError(png, "IDAT");
    }

    [Theory]
    [InlineData(4, 4, 3, 0, "bit depth 3 is not allowed")]
    [InlineData(4, 4, 8, 5, "colour type 5")]
    [InlineData(0, 4, 8, 0, "IHDR size 0x4")]
    [InlineData(4, 4, 16, 3, "bit depth 16 is not allowed for colour type 3")]
    public void Invalid_ihdr(int w, int h, int depth, int color, string expected) =>
        AssertFormatError(PngTestEncoder.Assemble(PngTestEncoder.Ihdr(w, h, depth, color), PngTestEncoder.Chunk("IEND", [])), expected);

    [Fact]
    public void Unknown_critical_chunk_and_bad_filter_type()
    {
        var raw = PngTestEncoder.Scanlines(2, 2, 0, 8, (x, _, _) => x, false, 0);
        var idat = PngTestEncoder.Chunk("IDAT", PngTestEncoder.Compress(raw));
        AssertFormatError(PngTestEncoder.Assemble(PngTestEncoder.Ihdr(2, 2, 8, 0), PngTestEncoder.Chunk("ZZZZ", [1]), idat, PngTestEncoder.Chunk("IEND", [])), "unknown critical chunk 'ZZZZ'");
        raw[3] = 7; // second row's filter byte
        var bad = PngTestEncoder.Chunk("IDAT", PngTestEncoder.Compress(raw));
        AssertFormatError(PngTestEncoder.Assemble(PngTestEncoder.Ihdr(2, 2, 8, 0), bad, PngTestEncoder.Chunk("IEND", [])), "row 1: filter type 7");
    }

    [Fact]
    public void Palette_index_out_of_range_and_missing_plte()
    {
        AssertFormatError(PngTestEncoder.Encode(2, 1, 3, 8, (x, _, _) => x * 5, [1, 2, 3, 4, 5, 6]), "palette index 5 outside a palette of 2");
        AssertFormatError(PngTestEncoder.Encode(2, 1, 3, 8, (_, _, _) => 0), "without a PLTE");
    }

    [Fact]
    public void Decode_from_file_names_the_file()
    {
        using var dir = new TempDir();
        var png = Good();
        File.WriteAllBytes(dir.File("x.png"), png[..50]);
        var e = Assert.Throws<DatasetFormatException>(() => PngDecoder.Decode(dir.File("x.png")));
        Assert.StartsWith(dir.File("x.png") + ": ", e.Message);
    }
}
