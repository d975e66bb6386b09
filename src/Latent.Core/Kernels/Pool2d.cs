namespace Latent.Core.Kernels;

/// <summary>
/// Max and average pooling over square windows of [planes, H, W] data (planes = N·C), and the adjoint of
/// average pooling. Window (oh, ow) covers rows oh·s − p .. oh·s − p + k − 1 (likewise columns), clipped to
/// the image; these loops are themselves the plain version (the tests compare them with a direct twin).
/// </summary>
internal static class Pool2d
{
    /// <summary>
    /// y = max over each window; <paramref name="argmax"/> gets the in-plane index ih·W + iw of the first
    /// maximum in row-major window order (NaN wins, as in PyTorch), so the gradient routes to one element.
    /// </summary>
    public static void MaxForward(ReadOnlySpan<float> x, int planes, int h, int w, int ho, int wo, int k, int s, int p,
        Span<float> y, Span<int> argmax)
    {
        for (int pl = 0; pl < planes; pl++)
        {
            var src = x.Slice(pl * h * w, h * w);
            int outBase = pl * ho * wo;
            for (int oh = 0; oh < ho; oh++)
            {
                int h0 = Math.Max(oh * s - p, 0), h1 = Math.Min(oh * s - p + k, h);
                for (int ow = 0; ow < wo; ow++)
                {
                    int w0 = Math.Max(ow * s - p, 0), w1 = Math.Min(ow * s - p + k, w);
                    int best = h0 * w + w0;
                    float max = float.NegativeInfinity;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++)
                        {
                            float v = src[ih * w + iw];
                            if (v > max || float.IsNaN(v))
                            {
                                max = v;
                                best = ih * w + iw;
                                if (float.IsNaN(v)) goto done;
                            }
                        }
                    done:
                    y[outBase + oh * wo + ow] = max;
                    argmax[outBase + oh * wo + ow] = best;
                }
            }
        }
    }

    /// <summary>y = (sum over each window) / k² — zero padding counted (count_include_pad = true).</summary>
    public static void AvgForward(ReadOnlySpan<float> x, int planes, int h, int w, int ho, int wo, int k, int s, int p, Span<float> y)
    {
        float scale = 1f / (k * k);
        for (int pl = 0; pl < planes; pl++)
        {
            var src = x.Slice(pl * h * w, h * w);
            int outBase = pl * ho * wo;
            for (int oh = 0; oh < ho; oh++)
            {
                int h0 = Math.Max(oh * s - p, 0), h1 = Math.Min(oh * s - p + k, h);
                for (int ow = 0; ow < wo; ow++)
                {
                    int w0 = Math.Max(ow * s - p, 0), w1 = Math.Min(ow * s - p + k, w);
                    float sum = 0f;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++) sum += src[ih * w + iw];
                    y[outBase + oh * wo + ow] = sum * scale;
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="AvgForward"/>: dx[window] += g[oh, ow] / k². <paramref name="dx"/> is overwritten.</summary>
    public static void AvgAdjoint(ReadOnlySpan<float> g, int planes, int h, int w, int ho, int wo, int k, int s, int p, Span<float> dx)
    {
        float scale = 1f / (k * k);
        dx.Slice(0, planes * h * w).Clear();
        for (int pl = 0; pl < planes; pl++)
        {
            var dst = dx.Slice(pl * h * w, h * w);
            int outBase = pl * ho * wo;
            for (int oh = 0; oh < ho; oh++)
            {
                int h0 = Math.Max(oh * s - p, 0), h1 = Math.Min(oh * s - p + k, h);
                for (int ow = 0; ow < wo; ow++)
                {
                    int w0 = Math.Max(ow * s - p, 0), w1 = Math.Min(ow * s - p + k, w);
                    float v = g[outBase + oh * wo + ow] * scale;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++) dst[ih * w + iw] += v;
                }
            }
        }
    }
}
