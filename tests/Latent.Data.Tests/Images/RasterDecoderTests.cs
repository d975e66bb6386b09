using System.Buffers.Binary;
using Latent.Core.IO;
using Latent.Data.Images;
using SkiaSharp;

namespace Latent.Data.Tests.Images;

public class RasterDecoderTests
{
    // A 16×8 grayscale progressive JPEG (SOF2) of the ramp value = 16·x: libjpeg-turbo's
    // cjpeg -progressive -quality 100 -grayscale on that PGM.
    private const string ProgressiveRamp = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wgALCAAIABABAREA/8QAFQABAQAAAAAAAAAAAAAAAAAACQr/2gAIAQEAAAABN+gD/8QAFRABAQAAAAAAAAAAAAAAAAAAAAf/2gAIAQEAAQUCmybP/8QAFhAAAwAAAAAAAAAAAAAAAAAAAAOC/9oACAEBAAY/AkSIk//EABYQAAMAAAAAAAAAAAAAAAAAAACB8P/aAAgBAQABPyGSJI//2gAIAQEAAAAQP//EABQQAQAAAAAAAAAAAAAAAAAAABD/2gAIAQEAAT8QGb//2Q==";

    /// <summary>An uncompressed 24-bit BMP (bottom-up rows, BGR, rows padded to 4 bytes) with pixel (x, y) = rgb(x, y).</summary>
    internal static byte[] Bmp(int w, int h, Func<int, int, (byte R, byte G, byte B)> rgb)
    {
        int stride = (w * 3 + 3) & ~3, size = 54 + stride * h;
        var b = new byte[size];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), h);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(34), stride * h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, bl) = rgb(x, y);
                int o = 54 + (h - 1 - y) * stride + x * 3;
                b[o] = bl; b[o + 1] = g; b[o + 2] = r;
            }
        return b;
    }

    internal static byte[] BaselineJpeg(int w, int h, Func<int, int, byte> gray)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) { byte v = gray(x, y); bitmap.SetPixel(x, y, new SKColor(v, v, v)); }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 100);
        return data.ToArray();
    }

    [Fact]
    public void Bmp_decodes_exactly_with_its_colours_and_orientation()
    {
        var img = RasterDecoder.Decode(Bmp(5, 3, (x, y) => ((byte)(40 * x), (byte)(100 * y), 7)), "t.bmp");
        Assert.Equal((5, 3, 3), (img.Width, img.Height, img.Channels));
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++)
            {
                Assert.Equal(40 * x / 255f, img[y, x, 0], 6);
                Assert.Equal(100 * y / 255f, img[y, x, 1], 6);
                Assert.Equal(7 / 255f, img[y, x, 2], 6);
            }
    }

    [Fact]
    public void Baseline_and_progressive_jpegs_decode_close_to_their_source()
    {
        var progressive = Convert.FromBase64String(ProgressiveRamp);
        Assert.True(progressive.AsSpan().IndexOf(new byte[] { 0xFF, 0xC2 }) > 0, "the fixture is progressive (SOF2)");
        var img = RasterDecoder.Decode(progressive, "ramp.jpg");
        Assert.Equal((16, 8, 1), (img.Width, img.Height, img.Channels));
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 16; x++)
                Assert.InRange(Math.Abs(img[y, x, 0] - 16 * x / 255f), 0, 3 / 255f);

        var baseline = RasterDecoder.Decode(BaselineJpeg(12, 10, (x, y) => (byte)(20 * x)), "b.jpg");
        Assert.Equal((12, 10, 1), (baseline.Width, baseline.Height, baseline.Channels));
        Assert.InRange(Math.Abs(baseline[4, 6, 0] - 120 / 255f), 0, 4 / 255f);
    }

    [Fact]
    public void Damaged_foreign_and_oversized_files_are_errors_naming_the_file()
    {
        var progressive = Convert.FromBase64String(ProgressiveRamp);
        var e = Assert.Throws<DatasetFormatException>(() => RasterDecoder.Decode("GIF89a...."u8, "x.jpg"));
        Assert.StartsWith("x.jpg", e.Message);
        Assert.Throws<DatasetFormatException>(() => RasterDecoder.Decode(progressive.AsSpan(0, 40), "cut.jpg"));
        // A header that claims 60000×60000 pixels is refused before decoding.
        var bmp = Bmp(2, 2, (_, _) => (1, 2, 3));
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 60000);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), 60000);
        var big = Assert.Throws<DatasetFormatException>(() => RasterDecoder.Decode(bmp, "big.bmp"));
        Assert.StartsWith("big.bmp", big.Message);
    }
}
