using Latent.Core;

namespace Latent.Viz.Images;

/// <summary>
/// Maps scalar images (difference maps, latent activations) to colour. The result is an ordinary
/// <c>[N, 3, H, W]</c> tensor in [0, 1], so it goes through <see cref="ImageGrid"/> like any other batch.
/// </summary>
public static class ColorMap
{
    // Perceptually ordered dark-blue → green → yellow ramp (viridis-like), sampled at 9 evenly spaced stops.
    private static readonly Rgb[] Sequential =
    [
        Rgb.FromHex("#440154"), Rgb.FromHex("#472d7b"), Rgb.FromHex("#3b528b"), Rgb.FromHex("#2c728e"), Rgb.FromHex("#21918c"),
        Rgb.FromHex("#28ae80"), Rgb.FromHex("#5ec962"), Rgb.FromHex("#addc30"), Rgb.FromHex("#fde725"),
    ];

    // Blue → near-white → red, for signed values centred on zero.
    private static readonly Rgb[] DivergingStops = [Rgb.FromHex("#3b4cc0"), Rgb.FromHex("#f2f2f2"), Rgb.FromHex("#b40426")];

    /// <summary>The colour of <paramref name="t"/> in [0, 1] (clamped; NaN maps to 0) on the chosen ramp.</summary>
    public static Rgb Map(float t, bool diverging = false)
    {
        var stops = diverging ? DivergingStops : Sequential;
        if (!(t > 0f)) t = 0f;
        if (t > 1f) t = 1f;
        float pos = t * (stops.Length - 1);
        int i = Math.Min((int)pos, stops.Length - 2);
        float f = pos - i;
        var a = stops[i];
        var b = stops[i + 1];
        return new Rgb(Lerp(a.R, b.R, f), Lerp(a.G, b.G, f), Lerp(a.B, b.B, f));
    }

    /// <summary>
    /// Colours <paramref name="values"/> (<c>[N, H, W]</c> or <c>[N, 1, H, W]</c>) with the sequential ramp,
    /// <paramref name="min"/> mapping to its dark end and <paramref name="max"/> to its bright end.
    /// </summary>
    /// <returns><c>[N, 3, H, W]</c> in [0, 1].</returns>
    public static Tensor Sequence(Tensor values, float min, float max) => Apply(values, min, max, diverging: false);

    /// <summary>
    /// Colours signed <paramref name="values"/> (<c>[N, H, W]</c> or <c>[N, 1, H, W]</c>), e.g. reconstruction
    /// minus original: −<paramref name="limit"/> is blue, 0 white, +<paramref name="limit"/> red.
    /// </summary>
    /// <returns><c>[N, 3, H, W]</c> in [0, 1].</returns>
    public static Tensor Diverging(Tensor values, float limit)
    {
        if (!(limit > 0f)) throw new ArgumentOutOfRangeException(nameof(limit), $"ColorMap.Diverging: limit must be positive, got {limit}");
        return Apply(values, -limit, limit, diverging: true);
    }

    private static Tensor Apply(Tensor values, float min, float max, bool diverging)
    {
        ArgumentNullException.ThrowIfNull(values);
        var s = values.Shape;
        if (!(s.Length == 3 || (s.Length == 4 && s[1] == 1)))
            throw new ArgumentException($"ColorMap: expected [N, H, W] or [N, 1, H, W], got {Shapes.Format(s)}", nameof(values));
        if (!(max > min)) throw new ArgumentException($"ColorMap: range [{min}, {max}] is empty", nameof(max));
        int n = s[0], h = s[^2], w = s[^1], plane = h * w;
        var src = values.Span;
        var dst = new float[n * 3 * plane];
        for (int i = 0; i < n; i++)
        for (int p = 0; p < plane; p++)
        {
            var c = Map((src[i * plane + p] - min) / (max - min), diverging);
            int o = i * 3 * plane + p;
            dst[o] = c.R / 255f;
            dst[o + plane] = c.G / 255f;
            dst[o + 2 * plane] = c.B / 255f;
        }
        return new Tensor(dst, n, 3, h, w);
    }

    private static byte Lerp(byte a, byte b, float f) => (byte)MathF.Round(a + (b - a) * f);
}
