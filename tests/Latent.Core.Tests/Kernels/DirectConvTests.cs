using Latent.Core.Kernels;
using Latent.Core.Tests.Ops;

namespace Latent.Core.Tests.Kernels;

public unsafe class DirectConvTests
{
    [Theory]
    [InlineData(1, 1, 1, 1, true, true)]        // one row, one tap, one channel, one output
    [InlineData(14, 16, 1, 32, true, true)]     // the encoder's first layer: one full tile
    [InlineData(49, 16, 32, 64, true, true)]    // its second layer: tiles of 13, 12, 12, 12 rows, two blocks
    [InlineData(30, 9, 5, 33, false, true)]     // a partial second block of one channel
    [InlineData(15, 4, 3, 70, true, false)]     // tiles of 8 and 7 rows, no bias
    [InlineData(13, 1, 300, 10, false, false)]  // a linear layer: one tap, a long chain
    [InlineData(7, 2, 3, 8, true, true)]        // AVX2: one half of 8 channels, tiles of 4 and 3 rows
    [InlineData(20, 3, 17, 20, false, true)]    // AVX2: a full half and one of 4 channels, tiles of 5, 5, 5, 5 rows
    public void RunHasTheBitsOfItsScalarTwin(int rows, int taps, int channels, int outChannels, bool relu, bool withBias)
    {
        var (input, rowIn, tapOff, packed, bias, rowOut, stride) = Problem(new Random(rows * 31 + taps * 7 + channels + outChannels), rows, taps, channels, outChannels);
        var fast = Enumerable.Repeat(-7f, rows * stride).ToArray();
        var twin = (float[])fast.Clone();
        fixed (float* pi = input, pp = packed, pb = bias, pf = fast, pt = twin)
        fixed (int* ri = rowIn, ro = rowOut, to = tapOff)
        {
            DirectConv.Run(pi, ri, rows, to, taps, channels, pp, withBias ? pb : null, outChannels, pf, ro, relu);
            DirectConv.RunScalar(pi, ri, rows, to, taps, channels, pp, withBias ? pb : null, outChannels, pt, ro, relu);
        }
        for (int i = 0; i < fast.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(fast[i]) == BitConverter.SingleToInt32Bits(twin[i]),
                $"row {i / stride}, channel {i % stride}: {fast[i]:R}, scalar twin {twin[i]:R}");
        for (int r = 0; r < rows; r++)
            for (int j = outChannels; j < stride; j++) Assert.Equal(-7f, fast[r * stride + j]);
    }

    [Theory]
    [InlineData(49, 16, 32, 64, 2)]   // the encoder's second layer on two threads: blocks split (two of four on AVX2, one of two on AVX-512)
    [InlineData(49, 16, 32, 64, 3)]   // three parts: uneven block ranges on AVX2, rows on AVX-512
    [InlineData(196, 4, 4, 32, 2)]    // its first layer: blocks on AVX2, rows on AVX-512 (one block)
    [InlineData(1, 1, 300, 33, 2)]    // one linear row with a partial last block
    [InlineData(5, 2, 3, 8, 4)]       // more parts than blocks: row ranges, one of them a single row
    [InlineData(2, 1, 7, 20, 5)]      // more parts than blocks and rows: some parts run nothing
    public void RunPartsTogetherHaveTheBitsOfRun(int rows, int taps, int channels, int outChannels, int parts)
    {
        var (input, rowIn, tapOff, packed, bias, rowOut, stride) = Problem(new Random(rows * 13 + taps + channels * 3 + outChannels + parts), rows, taps, channels, outChannels);
        var whole = Enumerable.Repeat(-7f, rows * stride).ToArray();
        var inParts = (float[])whole.Clone();
        var writers = new int[whole.Length];
        fixed (float* pi = input, pp = packed, pb = bias, pw = whole, pq = inParts)
        fixed (int* ri = rowIn, ro = rowOut, to = tapOff)
        {
            DirectConv.Run(pi, ri, rows, to, taps, channels, pp, pb, outChannels, pw, ro, relu: true);
            // Each part alone into a fresh output (ReLU: a written value is never -7), so that what it writes is seen.
            for (int part = 0; part < parts; part++)
            {
                var alone = Enumerable.Repeat(-7f, whole.Length).ToArray();
                fixed (float* pa = alone)
                    DirectConv.RunPart(pi, ri, rows, to, taps, channels, pp, pb, outChannels, pa, ro, true, part, parts);
                for (int i = 0; i < alone.Length; i++)
                    if (alone[i] != -7f) { writers[i]++; inParts[i] = alone[i]; }
            }
        }
        for (int i = 0; i < whole.Length; i++)
        {
            bool output = i % stride < outChannels;
            Assert.True(writers[i] == (output ? 1 : 0), $"row {i / stride}, channel {i % stride}: written by {writers[i]} parts");
            Assert.True(BitConverter.SingleToInt32Bits(whole[i]) == BitConverter.SingleToInt32Bits(inParts[i]),
                $"row {i / stride}, channel {i % stride}: Run {whole[i]:R}, parts {inParts[i]:R}");
        }
    }

    /// <summary>
    /// A random problem for <see cref="DirectConv.Run"/>: input, rows and taps (<see cref="Layout"/>), packed weights, a
    /// bias, and output rows at a stride wider than the channel count, to check that nothing is written past a row's channels.
    /// </summary>
    private static (float[] Input, int[] RowIn, int[] TapOff, float[] Packed, float[] Bias, int[] RowOut, int Stride) Problem(
        Random rng, int rows, int taps, int channels, int outChannels)
    {
        var (input, rowIn, tapOff) = Layout(rng, rows, taps, channels);
        var w = GemmTests.Random(rng, outChannels * channels * taps);
        var packed = new float[DirectConv.PackedSize(outChannels, channels, taps)];
        DirectConv.Pack(w, outChannels, channels, taps, packed);
        var bias = GemmTests.Random(rng, outChannels);
        int stride = outChannels + 3;
        return (input, rowIn, tapOff, packed, bias, Enumerable.Range(0, rows).Select(r => r * stride).ToArray(), stride);
    }

    [Fact]
    public void ConvolutionOverAPaddedChannelsLastImageMatchesTheDefinition()
    {
        // Conv2d 3 -> 5, kernel 3, stride 2, padding 1, dilation 2 over a 9 x 8 image, against the NCHW definition in doubles.
        const int c = 3, o = 5, h = 9, wd = 8, k = 3, s = 2, p = 1, d = 2;
        int ho = (h + 2 * p - d * (k - 1) - 1) / s + 1, wo = (wd + 2 * p - d * (k - 1) - 1) / s + 1;
        var rng = new Random(5);
        var x = GemmTests.Random(rng, c * h * wd);
        var w = GemmTests.Random(rng, o * c * k * k);
        var bias = GemmTests.Random(rng, o);
        int hp = h + 2 * p, wp = wd + 2 * p;
        var padded = new float[hp * wp * c];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < wd; xx++) padded[((y + p) * wp + xx + p) * c + ch] = x[(ch * h + y) * wd + xx];
        var rowIn = new int[ho * wo];
        var rowOut = new int[ho * wo];
        for (int y = 0; y < ho; y++)
            for (int xx = 0; xx < wo; xx++) { rowIn[y * wo + xx] = (y * s * wp + xx * s) * c; rowOut[y * wo + xx] = (y * wo + xx) * o; }
        var tapOff = new int[k * k];
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++) tapOff[ky * k + kx] = (ky * d * wp + kx * d) * c;
        var packed = new float[DirectConv.PackedSize(o, c, k * k)];
        DirectConv.Pack(w, o, c, k * k, packed);
        var output = new float[ho * wo * o];
        fixed (float* pi = padded, pp = packed, pb = bias, po = output)
        fixed (int* ri = rowIn, ro = rowOut, to = tapOff)
            DirectConv.Run(pi, ri, ho * wo, to, k * k, c, pp, pb, o, po, ro, relu: false);
        var expected = Definition(x, w, bias, 1, c, h, wd, o, k, s, p, d);
        for (int oc = 0; oc < o; oc++)
            for (int q = 0; q < ho * wo; q++) Assert.Equal(expected[oc * ho * wo + q], output[q * o + oc], 1e-5);
    }

    [Theory]
    [InlineData(5, 1, 28, 28, 32, 4, 2, 1, 1)]   // the conv VAE's first layer
    [InlineData(3, 32, 14, 14, 64, 4, 2, 1, 1)]  // its second
    [InlineData(2, 6, 9, 11, 5, 3, 1, 2, 2)]     // odd sizes, dilation 2
    [InlineData(2, 16, 9, 11, 5, 3, 1, 2, 2)]    // the same with 16 channels (direct with AVX2 too)
    public void ConvolutionForwardTakesTheDirectPathAndGivesTheDefinition(int n, int c, int h, int w, int o, int k, int s, int p, int d)
    {
        int ho = (h + 2 * p - d * (k - 1) - 1) / s + 1, wo = (w + 2 * p - d * (k - 1) - 1) / s + 1;
        var g = new ConvGeometry(n, c, h, w, o, ho, wo, k, k, s, p, d);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported || DirectConv.IsAccelerated && c >= 16, Conv2dKernel.UseDirect(g));
        // One output row more than the formula gives: its windows leave the padded image, so the im2col path runs.
        Assert.False(Conv2dKernel.UseDirect(g with { Ho = ho + 1 + (k - 1) * d }));
        var rng = new Random(n + c + o);
        var x = GemmTests.Random(rng, n * c * h * w);
        var wt = GemmTests.Random(rng, o * c * k * k);
        var bias = GemmTests.Random(rng, o);
        var y = new float[n * o * ho * wo];
        Conv2dKernel.Forward(x, wt, bias, g, y);
        var expected = Definition(x, wt, bias, n, c, h, w, o, k, s, p, d);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 1e-4);
    }

    [Theory]
    [InlineData(3, 32, 14, 14, 64, 7, 7, 4, 2, 1, 1)]  // the conv VAE's 64x7x7 -> 32x14x14 layer: 4 phases of 4 taps
    [InlineData(2, 16, 6, 7, 5, 6, 7, 3, 1, 1, 1)]     // stride 1: one phase of 9 taps
    [InlineData(2, 20, 9, 9, 3, 5, 5, 1, 2, 0, 1)]     // a 1x1 kernel with stride 2: three phases no tap reaches (bias only)
    [InlineData(1, 17, 13, 11, 4, 6, 5, 4, 2, 1, 1)]   // output padding 1: one more big row and column than without
    [InlineData(2, 24, 10, 10, 6, 4, 4, 3, 2, 1, 2)]   // dilation 2 with stride 2: the odd phases get no tap
    [InlineData(1, 33, 13, 13, 7, 5, 5, 5, 3, 2, 1)]   // stride 3, a partial second block of output channels
    public void TransposedConvolutionTakesTheDirectPathAndGivesTheDefinition(int n, int c, int h, int w, int o, int ho, int wo, int k, int s, int p, int d)
    {
        var g = new ConvGeometry(n, c, h, w, o, ho, wo, k, k, s, p, d);
        Assert.Equal(DirectConv.IsAccelerated, Conv2dKernel.UseDirectData(g));
        Assert.False(Conv2dKernel.UseDirectData(g with { C = 15 }));
        var rng = new Random(n + c + o + s);
        var small = GemmTests.Random(rng, n * o * ho * wo);
        var wt = GemmTests.Random(rng, o * c * k * k);
        var bias = GemmTests.Random(rng, c);
        var big = Enumerable.Repeat(float.NaN, n * c * h * w).ToArray();
        Conv2dKernel.BackwardData(small, wt, bias, g, big);
        // The definition (ConvNaive): every small pixel scatters through every tap into the big pixel it lands on.
        int outputPadding = h - ((ho - 1) * s - 2 * p + d * (k - 1) + 1);
        var expected = ConvNaive.ConvTranspose2d(Doubles(small), [n, o, ho, wo], Doubles(wt), [o, c, k, k], Doubles(bias), s, p, outputPadding, d, out var ys);
        Assert.Equal([n, c, h, w], ys);
        for (int i = 0; i < big.Length; i++) Assert.Equal(expected[i], big[i], 1e-4);
    }

    [Theory]
    [InlineData(12, 32, 14, 14, 64, 4, 2, 1, 1)]  // the conv VAE's second layer: 8 groups of images, 5 row tiles
    [InlineData(3, 16, 9, 11, 5, 3, 1, 1, 2)]     // dilation 2, a half block of channels
    [InlineData(2, 40, 6, 7, 20, 3, 2, 0, 1)]     // a partial second block of 8 channels
    public void WeightGradientTakesTheDirectPathAndGivesTheDefinition(int n, int c, int h, int w, int o, int k, int s, int p, int d)
    {
        int ho = (h + 2 * p - d * (k - 1) - 1) / s + 1, wo = (w + 2 * p - d * (k - 1) - 1) / s + 1;
        var g = new ConvGeometry(n, c, h, w, o, ho, wo, k, k, s, p, d);
        Assert.Equal(DirectConv.IsAccelerated, Conv2dKernel.UseDirectWeightGrad(g));
        Assert.False(Conv2dKernel.UseDirectWeightGrad(g with { C = 15 }));
        AssertWeightGradientIsTheDefinition(g);
    }

    [Theory]
    [InlineData(12, 28, 28, 32, 4, 2, 1, 1)]  // the conv VAE's first layer: 4 x 4 taps, a kernel row at a time
    [InlineData(3, 9, 11, 20, 3, 1, 1, 2)]    // dilation 2, 20 gradient channels (a partial block of 32)
    [InlineData(9, 7, 6, 40, 2, 2, 0, 1)]     // 2 x 2 taps, 40 channels (a block and a part)
    public void OneChannelWeightGradientTakesItsPathAndGivesTheDefinition(int n, int h, int w, int o, int k, int s, int p, int d)
    {
        int ho = (h + 2 * p - d * (k - 1) - 1) / s + 1, wo = (w + 2 * p - d * (k - 1) - 1) / s + 1;
        var g = new ConvGeometry(n, 1, h, w, o, ho, wo, k, k, s, p, d);
        Assert.Equal(DirectConv.IsAccelerated, Conv2dKernel.UseOneChannelWeightGrad(g));
        Assert.False(Conv2dKernel.UseOneChannelWeightGrad(g with { C = 2 }));
        AssertWeightGradientIsTheDefinition(g);
    }

    /// <summary>Conv2dKernel.WeightGrad of random images and output gradients against the definition's sums in doubles.</summary>
    private static void AssertWeightGradientIsTheDefinition(ConvGeometry g)
    {
        int n = g.N, c = g.C, h = g.H, w = g.W, o = g.O, k = g.Kh, ho = g.Ho, wo = g.Wo, s = g.Stride, p = g.Pad, d = g.Dilation;
        var rng = new Random(n + c + o + k);
        var x = GemmTests.Random(rng, n * c * h * w);
        var gy = GemmTests.Random(rng, n * o * ho * wo);
        var dw = Enumerable.Repeat(float.NaN, o * c * k * k).ToArray();
        Conv2dKernel.WeightGrad(x, gy, g, dw);
        for (int oc = 0; oc < o; oc++)
            for (int ch = 0; ch < c; ch++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                    {
                        double sum = 0;
                        for (int b = 0; b < n; b++)
                            for (int oy = 0; oy < ho; oy++)
                                for (int ox = 0; ox < wo; ox++)
                                {
                                    int iy = oy * s - p + ky * d, ix = ox * s - p + kx * d;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                        sum += (double)gy[((b * o + oc) * ho + oy) * wo + ox] * x[((b * c + ch) * h + iy) * w + ix];
                                }
                        Assert.Equal(sum, dw[((oc * c + ch) * k + ky) * k + kx], 1e-3);
                    }
    }

    [Fact]
    public void GradRunHasTheBitsOfItsScalarTwinAndContinuesChains()
    {
        var rng = new Random(11);
        const int rows = 23, o = 17, c = 45, lda = 19;
        var a = GemmTests.Random(rng, rows * lda);
        var (input, rowIn, _) = Layout(rng, rows, 1, c + 40); // room for the 32-channel reads past channel 45
        var fast = GemmTests.Random(rng, o * c);
        var twin = (float[])fast.Clone();
        fixed (float* pa = a, pi = input, pf = fast, pt = twin)
        fixed (int* ri = rowIn)
            foreach (bool accumulate in (bool[])[true, false, true])
            {
                DirectConv.GradRun(pa, lda, o, pi, ri, rows, 3, c, pf, accumulate);
                DirectConv.GradRunScalar(pa, lda, o, pi, ri, rows, 3, c, pt, accumulate);
                for (int i = 0; i < fast.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(fast[i]) == BitConverter.SingleToInt32Bits(twin[i]),
                        $"accumulate {accumulate}: dst[{i / c},{i % c}] = {fast[i]:R}, scalar twin {twin[i]:R}");
            }
    }

    /// <summary>Conv2d of x [n, c, h, w] by w [o, c, k, k] plus the bias, from the definition in doubles (ConvNaive): [n, o, ho, wo].</summary>
    private static double[] Definition(float[] x, float[] w, float[] bias, int n, int c, int h, int wd, int o, int k, int s, int p, int d) =>
        ConvNaive.Conv2d(Doubles(x), [n, c, h, wd], Doubles(w), [o, c, k, k], Doubles(bias), s, p, d, out _);

    private static double[] Doubles(float[] a) => a.Select(v => (double)v).ToArray();

    [Fact]
    public void PackRejectsAWeightOfTheWrongSizeAndAShortDestination()
    {
        var e = Assert.Throws<ArgumentException>(() => DirectConv.Pack(new float[10], 2, 3, 2, new float[DirectConv.PackedSize(2, 3, 2)]));
        Assert.Contains("expected 2x3x2", e.Message);
        Assert.Throws<ArgumentException>(() => DirectConv.Pack(new float[12], 2, 3, 2, new float[10]));
    }

    [Theory]
    [InlineData(37, 5, 3, 2)]  // a partial block of outputs
    [InlineData(64, 32, 4, 2)] // the conv VAE's transposed 32 -> 64 layer: 4 taps a phase
    public void PackFromAStridedViewEqualsThePackOfTheGatheredWeight(int outChannels, int channels, int kernel, int stride)
    {
        // A transposed convolution's phase (ky, kx ≡ 0 mod stride) reads w [channels, outChannels, k, k] as
        // [outChannels, channels, taps]: output o's stride is k·k, input c's outChannels·k·k, tap t's ky·k + kx.
        var rng = new Random(outChannels + kernel);
        var w = GemmTests.Random(rng, channels * outChannels * kernel * kernel);
        var tapAt = new List<int>();
        for (int ky = 0; ky < kernel; ky += stride)
            for (int kx = 0; kx < kernel; kx += stride) tapAt.Add(ky * kernel + kx);
        int taps = tapAt.Count;
        var gathered = new float[outChannels * channels * taps];
        for (int o = 0; o < outChannels; o++)
            for (int c = 0; c < channels; c++)
                for (int t = 0; t < taps; t++) gathered[(o * channels + c) * taps + t] = w[(c * outChannels + o) * kernel * kernel + tapAt[t]];
        var expected = new float[DirectConv.PackedSize(outChannels, channels, taps)];
        DirectConv.Pack(gathered, outChannels, channels, taps, expected);
        var packed = new float[expected.Length];
        DirectConv.Pack(w, outChannels, kernel * kernel, channels, outChannels * kernel * kernel, tapAt.ToArray(), packed);
        Assert.Equal(expected, packed);
        // One float short of the last one read.
        int last = (outChannels - 1) * kernel * kernel + (channels - 1) * outChannels * kernel * kernel + tapAt.Max();
        var e = Assert.Throws<ArgumentException>(() =>
            DirectConv.Pack(w.AsSpan(0, last), outChannels, kernel * kernel, channels, outChannels * kernel * kernel, tapAt.ToArray(), packed));
        Assert.Contains("too few", e.Message);
        Assert.Throws<ArgumentException>(() => DirectConv.Pack(w, outChannels, kernel * kernel, channels, outChannels * kernel * kernel, [-1], packed));
    }

    /// <summary>A channels-last buffer with the rows' windows at scattered offsets, and taps spread over it.</summary>
    private static (float[] Input, int[] RowIn, int[] TapOff) Layout(Random rng, int rows, int taps, int channels)
    {
        var tapOff = Enumerable.Range(0, taps).Select(t => t * (channels + 2)).ToArray();
        int window = tapOff[^1] + channels;
        var rowIn = Enumerable.Range(0, rows).Select(r => r * 3 * channels + rng.Next(4)).ToArray();
        var input = GemmTests.Random(rng, rowIn.Max() + window);
        return (input, rowIn, tapOff);
    }
}
