using System.Security.Cryptography;
using Latent.Viz.Png;

namespace Latent.Viz.Tests.Png;

public sealed class PngEncoderTests
{
    private static byte[] Pattern(int w, int h, int c, int seed)
    {
        // Smooth gradients (where Sub/Up/Paeth win) mixed with noise (where None wins).
        var rng = new Random(seed);
        var p = new byte[w * h * c];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        for (int k = 0; k < c; k++)
            p[(y * w + x) * c + k] = y % 3 == 2 ? (byte)rng.Next(256) : (byte)(x * 7 + y * 3 + k * 50);
        return p;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 1, 3)]
    [InlineData(7, 5, 1)]
    [InlineData(13, 9, 2)]
    [InlineData(16, 16, 3)]
    [InlineData(31, 17, 4)]
    [InlineData(300, 2, 3)]
    public void DecodesBackToThePixels(int w, int h, int c)
    {
        var pixels = Pattern(w, h, c, w * 31 + h);
        var d = PngTestDecoder.Decode(PngEncoder.Encode(w, h, c, pixels));
        Assert.Equal((w, h, c), (d.Width, d.Height, d.Channels));
        Assert.Equal(pixels, d.Pixels);
        Assert.Equal("IEND", d.ChunkTypes[^1]);
    }

    [Fact]
    public void ChoosesDifferentFiltersForDifferentRows()
    {
        var d = PngTestDecoder.Decode(PngEncoder.Encode(64, 12, 3, Pattern(64, 12, 3, 1)));
        Assert.True(d.FilterTypes.Distinct().Count() >= 2, $"filters used: {string.Join(",", d.FilterTypes)}");
        // Each row's filter has the smallest sum of |filtered byte as signed| among the five.
        int stride = 64 * 3;
        for (int y = 0; y < 12; y++)
        {
            var scores = new long[5];
            for (int f = 0; f < 5; f++)
            for (int i = 0; i < stride; i++)
            {
                int a = i >= 3 ? d.Pixels[y * stride + i - 3] : 0;
                int b = y > 0 ? d.Pixels[(y - 1) * stride + i] : 0;
                int c = i >= 3 && y > 0 ? d.Pixels[(y - 1) * stride + i - 3] : 0;
                int pred = f switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => Paeth(a, b, c) };
                scores[f] += Math.Abs((int)(sbyte)(byte)(d.Pixels[y * stride + i] - pred));
            }
            Assert.Equal(scores.Min(), scores[d.FilterTypes[y]]);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    [Fact]
    public void ConstantImageCompressesWell()
    {
        var png = PngEncoder.Encode(256, 256, 3, Enumerable.Repeat((byte)200, 256 * 256 * 3).ToArray());
        Assert.True(png.Length < 2000, $"{png.Length} bytes");
        Assert.All(PngTestDecoder.Decode(png).Pixels, b => Assert.Equal(200, b));
    }

    [Fact]
    public void LargeImageSplitsIdatIntoSeveralChunks()
    {
        var rng = new Random(3);
        var pixels = new byte[600 * 600 * 3];
        rng.NextBytes(pixels);
        var d = PngTestDecoder.Decode(PngEncoder.Encode(600, 600, 3, pixels));
        Assert.True(d.ChunkTypes.Count(t => t == "IDAT") > 1);
        Assert.Equal(pixels, d.Pixels);
    }

    [Fact]
    public void UnitFloatsAreClampedAndRounded()
    {
        float[] v = [0f, 1f, 0.5f, -3f, 7f, float.NaN, 1f / 255f * 10.5f, 0.998f];
        var d = PngTestDecoder.Decode(PngEncoder.EncodeUnitFloats(8, 1, 1, v));
        Assert.Equal(new byte[] { 0, 255, 128, 0, 255, 0, 11, 254 }, d.Pixels);
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(0, 1, 1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(1, 0, 1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(1, 1, 5, new byte[5]));
        var ex = Assert.Throws<ArgumentException>(() => PngEncoder.Encode(2, 2, 3, new byte[11]));
        Assert.Contains("needs 12 bytes, got 11", ex.Message);
    }

    [Fact]
    public void SaveWritesAtomicallyAndLeavesNoTempFile()
    {
        var dir = Directory.CreateTempSubdirectory("latent-png-").FullName;
        try
        {
            var path = Path.Combine(dir, "a.png");
            PngEncoder.Save(path, 2, 1, 1, [1, 2]);
            Assert.Equal(["a.png"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Equal(new byte[] { 1, 2 }, PngTestDecoder.Decode(File.ReadAllBytes(path)).Pixels);
        }
        finally { Directory.Delete(dir, true); }
    }

    [PillowFact]
    public void PillowReadsTheSamePixels()
    {
        var dir = Directory.CreateTempSubdirectory("latent-png-pil-").FullName;
        try
        {
            foreach (var (w, h, c, mode) in new[] { (9, 7, 1, "L"), (33, 5, 3, "RGB"), (6, 11, 4, "RGBA"), (5, 4, 2, "LA") })
            {
                var pixels = Pattern(w, h, c, w + h);
                var path = Path.Combine(dir, $"{mode}.png");
                PngEncoder.Save(path, w, h, c, pixels);
                var (code, output) = PythonRunner.Run("-c",
                    "import sys, hashlib; from PIL import Image; im = Image.open(sys.argv[1]); im.load(); " +
                    "print(im.mode, im.size[0], im.size[1], hashlib.sha256(im.tobytes()).hexdigest())", path);
                Assert.True(code == 0, output);
                Assert.Equal($"{mode} {w} {h} {Convert.ToHexStringLower(SHA256.HashData(pixels))}", output.Trim());
            }
        }
        finally { Directory.Delete(dir, true); }
    }
}
