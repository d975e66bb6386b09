using Latent.Core;

namespace Latent.Models.SuperResolution;

/// <summary>
/// Classical image resampling on images [B, C, H, W], no gradients: area (box) downsampling by an integer factor and
/// nearest, bilinear and bicubic upscaling. The interpolating kernels use OpenCV's pixel-centre convention: output
/// pixel d samples the input at s = (d + 0.5)/f − 0.5, and taps outside the image repeat the edge pixel
/// (BORDER_REPLICATE), so <c>cv2.resize(img, None, fx=f, fy=f, interpolation=...)</c> on float32 input matches.
/// </summary>
public static class Resampling
{
    /// <summary>The bicubic kernel's parameter a of Keys (1981): −0.5 (PIL, Matlab); OpenCV uses −0.75.</summary>
    public const float DefaultCubicA = -0.5f;

    /// <summary>x [B, C, H, W] → the mean of each f×f block, [B, C, H/f, W/f] (cv2.INTER_AREA for an integer factor).</summary>
    public static Tensor Downsample(Tensor x, int factor)
    {
        CheckImages(x, nameof(Downsample));
        if (factor < 1 || x.Shape[2] % factor != 0 || x.Shape[3] % factor != 0)
            throw new ArgumentException($"Downsample: factor {factor} must be a positive divisor of the image size {x.Shape[2]}x{x.Shape[3]}", nameof(factor));
        using var _ = Tensor.NoGrad();
        return factor == 1 ? x.Detach() : x.AvgPool2d(factor);
    }

    /// <summary>x [B, C, h, w] → [B, C, f·h, f·w], each pixel repeated f×f times.</summary>
    public static Tensor Nearest(Tensor x, int factor) => Resize(x, factor, nameof(Nearest), NearestTaps);

    /// <summary>x [B, C, h, w] → [B, C, f·h, f·w] by bilinear interpolation (cv2.INTER_LINEAR).</summary>
    public static Tensor Bilinear(Tensor x, int factor) => Resize(x, factor, nameof(Bilinear), LinearTaps);

    /// <summary>
    /// x [B, C, h, w] → [B, C, f·h, f·w] by separable bicubic convolution (Keys 1981) with parameter <paramref name="a"/>:
    /// W(t) = (a+2)|t|³ − (a+3)|t|² + 1 for |t| ≤ 1, a|t|³ − 5a|t|² + 8a|t| − 4a for 1 &lt; |t| &lt; 2. With a = −0.75 this
    /// is cv2.INTER_CUBIC; the default −0.5 is PIL's and Matlab's kernel (with edge replication, not PIL's renormalised edge).
    /// </summary>
    public static Tensor Bicubic(Tensor x, int factor, float a = DefaultCubicA)
    {
        if (!float.IsFinite(a)) throw new ArgumentException($"Bicubic: a = {a} must be finite", nameof(a));
        return Resize(x, factor, nameof(Bicubic), (d, f, n) => CubicTaps(d, f, n, a));
    }

    /// <summary>Upscales by name: "nearest", "bilinear" or "bicubic".</summary>
    public static Tensor Upscale(Tensor x, int factor, string method) => method switch
    {
        "nearest" => Nearest(x, factor),
        "bilinear" => Bilinear(x, factor),
        "bicubic" => Bicubic(x, factor),
        _ => throw new ArgumentException($"Upscale: method '{method}' must be nearest, bilinear or bicubic", nameof(method)),
    };

    /// <summary>The cubic convolution weights for fractional offset t ∈ [0, 1) at taps −1, 0, 1, 2 (OpenCV's interpolateCubic).</summary>
    public static float[] CubicWeights(float t, float a)
    {
        float w0 = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
        float w1 = ((a + 2) * t - (a + 3)) * t * t + 1;
        float w2 = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
        return [w0, w1, w2, 1f - w0 - w1 - w2];
    }

    private static (int[] Index, float[] Weight) NearestTaps(int d, int f, int n) => ([Math.Min(d / f, n - 1)], [1f]);

    private static (int[] Index, float[] Weight) LinearTaps(int d, int f, int n)
    {
        float s = (d + 0.5f) / f - 0.5f;
        int i = (int)MathF.Floor(s);
        float t = s - i;
        return ([Clamp(i, n), Clamp(i + 1, n)], [1f - t, t]);
    }

    private static (int[] Index, float[] Weight) CubicTaps(int d, int f, int n, float a)
    {
        float s = (d + 0.5f) / f - 0.5f;
        int i = (int)MathF.Floor(s);
        return ([Clamp(i - 1, n), Clamp(i, n), Clamp(i + 1, n), Clamp(i + 2, n)], CubicWeights(s - i, a));
    }

    private static int Clamp(int i, int n) => Math.Clamp(i, 0, n - 1);

    // Separable: rows first (horizontal taps into a [h, W] buffer), then columns, as OpenCV's resize does.
    private static Tensor Resize(Tensor x, int factor, string op, Func<int, int, int, (int[] Index, float[] Weight)> taps)
    {
        CheckImages(x, op);
        if (factor < 1) throw new ArgumentException($"{op}: factor {factor} must be at least 1", nameof(factor));
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3], ho = h * factor, wo = w * factor;
        var cols = Enumerable.Range(0, wo).Select(d => taps(d, factor, w)).ToArray();
        var rows = Enumerable.Range(0, ho).Select(d => taps(d, factor, h)).ToArray();
        var src = x.ToArray();
        var dst = new float[planes * ho * wo];
        var buffer = new float[h * wo];
        for (int p = 0; p < planes; p++)
        {
            int off = p * h * w;
            for (int r = 0; r < h; r++)
                for (int c = 0; c < wo; c++)
                {
                    var (idx, wt) = cols[c];
                    float v = 0;
                    for (int k = 0; k < idx.Length; k++) v += wt[k] * src[off + r * w + idx[k]];
                    buffer[r * wo + c] = v;
                }
            int o = p * ho * wo;
            for (int r = 0; r < ho; r++)
            {
                var (idx, wt) = rows[r];
                for (int c = 0; c < wo; c++)
                {
                    float v = 0;
                    for (int k = 0; k < idx.Length; k++) v += wt[k] * buffer[idx[k] * wo + c];
                    dst[o + r * wo + c] = v;
                }
            }
        }
        return Tensor.FromArray(dst, x.Shape[0], x.Shape[1], ho, wo);
    }

    private static void CheckImages(Tensor x, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"{op}: input {Shapes.Format(x.Shape)} is not [B,C,H,W]", nameof(x));
    }
}
