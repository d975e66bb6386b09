namespace Latent.Core.Kernels;

/// <summary>The per-element twins of <see cref="Im2Col.Pack"/> and <see cref="Im2Col.Unpack"/> (tests compare against them).</summary>
internal static class Im2ColScalar
{
    /// <summary>Same contract as <see cref="Im2Col.Pack"/>, one bounds check per element.</summary>
    public static void Pack(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols, int ldCols, int colOffset)
    {
        for (int c = 0; c < g.C; c++)
            for (int ki = 0; ki < g.Kh; ki++)
                for (int kj = 0; kj < g.Kw; kj++)
                {
                    int row = (c * g.Kh + ki) * g.Kw + kj;
                    for (int oh = 0; oh < g.Ho; oh++)
                        for (int ow = 0; ow < g.Wo; ow++)
                        {
                            int ih = oh * g.Stride - g.PadH + ki * g.Dilation;
                            int iw = ow * g.Stride - g.Pad + kj * g.Dilation;
                            bool inside = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
                            cols[row * ldCols + colOffset + oh * g.Wo + ow] = inside ? image[(c * g.H + ih) * g.W + iw] : 0f;
                        }
                }
    }

    /// <summary>Same contract as <see cref="Im2Col.Unpack"/>, one bounds check per element.</summary>
    public static void Unpack(ReadOnlySpan<float> cols, int ldCols, int colOffset, in ConvGeometry g, Span<float> image)
    {
        for (int c = 0; c < g.C; c++)
            for (int ki = 0; ki < g.Kh; ki++)
                for (int kj = 0; kj < g.Kw; kj++)
                {
                    int row = (c * g.Kh + ki) * g.Kw + kj;
                    for (int oh = 0; oh < g.Ho; oh++)
                        for (int ow = 0; ow < g.Wo; ow++)
                        {
                            int ih = oh * g.Stride - g.PadH + ki * g.Dilation;
                            int iw = ow * g.Stride - g.Pad + kj * g.Dilation;
                            if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W)
                                image[(c * g.H + ih) * g.W + iw] += cols[row * ldCols + colOffset + oh * g.Wo + ow];
                        }
                }
    }
}
