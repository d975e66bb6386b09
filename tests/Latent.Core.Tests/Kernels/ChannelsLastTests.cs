using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

public unsafe class ChannelsLastTests
{
    [Theory]
    [InlineData(1, 28, 28, 1, 1, 0, 0)]   // one channel: row copies
    [InlineData(32, 14, 14, 1, 1, 0, 0)]  // an 8 x 8 block and a 6-pixel tail per row (the tail's block overlaps it)
    [InlineData(13, 5, 17, 2, 0, 0, 0)]   // 5 channels past the last group of 8, padding on the rows only
    [InlineData(3, 1, 9, 0, 3, 0, 0)]     // a 1-D signal
    [InlineData(8, 3, 8, 0, 0, 0, 0)]     // no padding: nothing cleared, every float written
    [InlineData(64, 7, 7, 1, 1, 1, 2)]    // more border at the bottom and right (a transposed convolution's input)
    [InlineData(13, 5, 7, 1, 1, 0, 0)]    // rows shorter than a block, with channels past the last group of 8
    [InlineData(16, 3, 9, 2, 1, 0, 3)]    // a 1-pixel tail: the row's last block overlaps the one before by 7 pixels
    public void ToPaddedGivesThePlainLoopsFloats(int c, int h, int w, int padH, int padW, int extraBottom, int extraRight)
    {
        var rng = new Random(c * 100 + h * 10 + w);
        var src = GemmTests.Random(rng, c * h * w);
        int hp = h + 2 * padH + extraBottom, wp = w + 2 * padW + extraRight;
        int size = hp * wp * c;
        var fast = Enumerable.Repeat(float.NaN, size).ToArray();
        var plain = new float[size];
        fixed (float* ps = src, pf = fast, pp = plain)
        {
            ChannelsLast.ToPadded(ps, c, h, w, padH, padW, hp, wp, pf);
            ChannelsLast.ToPaddedScalar(ps, c, h, w, padH, padW, hp, wp, pp);
        }
        Assert.Equal(plain, fast);
        // Spot check of the layout: channel c-1 of the last pixel sits before the right and bottom borders.
        Assert.Equal(src[c * h * w - 1], fast[((h - 1 + padH) * wp + w - 1 + padW) * c + c - 1]);
    }

    [Fact]
    public void TransposeGivesThePlainLoopsFloatsForEveryShapeUpTo20x20()
    {
        var rng = new Random(3);
        for (int rows = 1; rows <= 20; rows++)
            for (int cols = 1; cols <= 20; cols++)
            {
                var src = GemmTests.Random(rng, rows * cols);
                // One float past the end of each destination, to catch a write beyond it.
                var fast = new float[rows * cols + 1];
                var plain = new float[rows * cols + 1];
                fast[^1] = plain[^1] = 42f;
                fixed (float* ps = src, pf = fast, pp = plain)
                {
                    ChannelsLast.Transpose(ps, rows, cols, pf);
                    ChannelsLast.TransposeScalar(ps, rows, cols, pp);
                }
                Assert.True(plain.AsSpan().SequenceEqual(fast), $"{rows} x {cols}");
                Assert.Equal(src[cols - 1], fast[(cols - 1) * rows]);
            }
    }
}
