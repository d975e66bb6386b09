using Latent.Core;

namespace Latent.Data.Generated;

/// <summary>
/// dSprites-like images (Matthey et al. 2017, "dSprites: Disentanglement testing Sprites dataset"), generated
/// deterministically from a seed: one white shape on black, anti-aliased, with five independent ground-truth factors
/// drawn uniformly — shape (square, ellipse, heart), scale (6 values in [0.5, 1]), orientation (40 values over 2π,
/// as in dSprites; the square repeats every π/2 and the ellipse every π, so those angles are visually equal),
/// x and y position (16 values each, chosen so every shape at every scale and angle stays inside the image).
/// Optionally a sixth factor, brightness (the shape's grey level, <c>brightnessLevels</c> values from 0.4 to 1), drawn
/// from its own random stream so that the other factors and the shapes' geometry are those of the same seed without it.
/// </summary>
public static class Sprites
{
    /// <summary>Factor names, in the column order of <see cref="Dataset.Factors"/>.</summary>
    public static IReadOnlyList<string> FactorNames { get; } = ["shape", "scale", "orientation", "x", "y"];

    /// <summary>Number of values of each factor: [3, 6, 40, 16, 16].</summary>
    public static IReadOnlyList<int> FactorSizes { get; } = [3, 6, 40, 16, 16];

    /// <summary>The name of the optional sixth factor (<see cref="Generate"/> with brightnessLevels &gt; 1).</summary>
    public const string BrightnessFactor = "brightness";

    /// <summary>The most brightness levels <see cref="Generate"/> accepts.</summary>
    public const int MaxBrightnessLevels = 16;

    /// <summary>The darkest brightness: the shape's grey level at brightness index 0.</summary>
    public const float MinBrightness = 0.4f;

    /// <summary>Shape names, indexed by the shape factor (= the label).</summary>
    public static IReadOnlyList<string> ShapeNames { get; } = ["square", "ellipse", "heart"];

    /// <summary>Shape half-size at scale 1, as a fraction of the image size.</summary>
    internal const float BaseRadius = 0.16f;

    // Distance from the shape's centre to its farthest point, in units of the half-size (any rotation).
    internal static readonly float[] Extent = [MathF.Sqrt(2f), 1f, 1f];

    /// <summary>Scale value of scale index <paramref name="k"/> (0..5): 0.5 + 0.1 k.</summary>
    public static float ScaleValue(int k) => 0.5f + 0.1f * k;

    /// <summary>Angle in radians of orientation index <paramref name="k"/> (0..39): 2π k / 40.</summary>
    public static float AngleValue(int k) => 2f * MathF.PI * k / 40f;

    /// <summary>
    /// Grey level of brightness index <paramref name="k"/> (0..levels − 1) of <paramref name="levels"/> (≥ 2): from
    /// <see cref="MinBrightness"/> to 1 in equal steps.
    /// </summary>
    public static float BrightnessValue(int k, int levels) => MinBrightness + (1f - MinBrightness) * k / (levels - 1);

    /// <summary>Pixel coordinate of the shape's centre for position index <paramref name="k"/> (0..15) in a <paramref name="size"/>-pixel image.</summary>
    public static float PositionValue(int k, int size)
    {
        // One pixel of clearance: anti-aliasing reaches half a pixel beyond the edge, so the border pixels stay 0.
        float margin = Extent.Max() * BaseRadius * size + 1f;
        return margin + (size - 2 * margin) * k / 15f;
    }

    /// <summary>
    /// <paramref name="count"/> sprites [1, size, size] in [0, 1]; Labels = shape index; <see cref="Dataset.Factors"/>
    /// holds the five factor indices of each sample. The same seed gives the same images on every machine. With
    /// <paramref name="brightnessLevels"/> &gt; 1 (at most <see cref="MaxBrightnessLevels"/>) every sprite is also scaled
    /// by a grey level <see cref="BrightnessValue"/>, a sixth factor "brightness"; its index comes from a second random
    /// stream of the seed, so the shapes, positions and other factors are exactly those of the data without it (and a
    /// sprite at the top level has the same bytes). 1, the default, gives the five-factor data.
    /// </summary>
    public static Dataset Generate(int count, ulong seed, int size = 32, int brightnessLevels = 1)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), $"Sprites.Generate: count {count} must be >= 0");
        CheckSize(size);
        if (brightnessLevels is < 1 or > MaxBrightnessLevels)
            throw new ArgumentOutOfRangeException(nameof(brightnessLevels), $"Sprites.Generate: brightness levels {brightnessLevels} must be in 1..{MaxBrightnessLevels}");
        var rng = new Rng(seed);
        bool bright = brightnessLevels > 1;
        // A separate stream: drawing brightness from rng would shift every later sprite's factors.
        var brightnessRng = new Rng(seed ^ 0x9E3779B97F4A7C15UL);
        int per = size * size, k = FactorNames.Count, columns = k + (bright ? 1 : 0);
        var x = new float[(long)count * per];
        var factors = new float[count * columns];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < k; j++) factors[i * columns + j] = rng.NextInt(FactorSizes[j]);
            int shape = (int)factors[i * columns];
            labels[i] = shape;
            var image = x.AsSpan(i * per, per);
            Render(shape, ScaleValue((int)factors[i * columns + 1]), AngleValue((int)factors[i * columns + 2]),
                PositionValue((int)factors[i * columns + 3], size), PositionValue((int)factors[i * columns + 4], size),
                size, image);
            if (bright)
            {
                int level = brightnessRng.NextInt(brightnessLevels);
                factors[i * columns + k] = level;
                if (level != brightnessLevels - 1)
                {
                    float value = BrightnessValue(level, brightnessLevels);
                    for (int p = 0; p < per; p++) image[p] *= value;
                }
            }
        }
        string[] names = bright ? [.. FactorNames, BrightnessFactor] : [.. FactorNames];
        int[] sizes = bright ? [.. FactorSizes, brightnessLevels] : [.. FactorSizes];
        return new Dataset("sprites", x, [1, size, size], labels)
            .WithFactors(factors, names, sizes)
            .WithDescription($"{count} generated sprites {size}x{size} (seed {seed}); factors {string.Join("/", names)}, label = shape");
    }

    internal static void CheckSize(int size)
    {
        if (size is < 16 or > 256) throw new ArgumentOutOfRangeException(nameof(size), $"Sprites: size {size} must be in 16..256 (28, 32 and 64 are usual)");
    }

    /// <summary>
    /// Draws one shape into <paramref name="dest"/> [size*size] (overwritten), centred at (<paramref name="cx"/>,
    /// <paramref name="cy"/>) in pixel coordinates (pixel (x, y) covers [x, x+1) x [y, y+1)), rotated by
    /// <paramref name="angle"/> radians. Anti-aliasing: coverage = clamp(0.5 - signed distance in pixels, 0, 1).
    /// </summary>
    public static void Render(int shape, float scale, float angle, float cx, float cy, int size, Span<float> dest)
    {
        if ((uint)shape >= 3) throw new ArgumentOutOfRangeException(nameof(shape), $"Sprites.Render: shape {shape}, expected 0..2");
        if (dest.Length != size * size) throw new ArgumentException($"Sprites.Render: destination of {dest.Length} for {size}x{size}", nameof(dest));
        dest.Clear();
        float r = BaseRadius * size * scale;
        float reach = Extent[shape] * r + 1f;
        int x0 = Math.Max(0, (int)MathF.Floor(cx - reach)), x1 = Math.Min(size - 1, (int)MathF.Ceiling(cx + reach));
        int y0 = Math.Max(0, (int)MathF.Floor(cy - reach)), y1 = Math.Min(size - 1, (int)MathF.Ceiling(cy + reach));
        float cos = MathF.Cos(angle), sin = MathF.Sin(angle), inv = 1f / r;
        for (int py = y0; py <= y1; py++)
        {
            float dy = py + 0.5f - cy;
            for (int px = x0; px <= x1; px++)
            {
                float dx = px + 0.5f - cx;
                // Rotate the pixel into the shape's frame and scale to unit half-size.
                float u = (cos * dx + sin * dy) * inv, v = (-sin * dx + cos * dy) * inv;
                float d = Distance(shape, u, v) * r;
                dest[py * size + px] = Math.Clamp(0.5f - d, 0f, 1f);
            }
        }
    }

    // Signed distance (negative inside) to the unit shape.
    private static float Distance(int shape, float u, float v)
    {
        switch (shape)
        {
            case 0:
            {
                // Square of half-side 1: exact box distance.
                float qx = MathF.Abs(u) - 1f, qy = MathF.Abs(v) - 1f;
                float ox = MathF.Max(qx, 0f), oy = MathF.Max(qy, 0f);
                return MathF.Sqrt(ox * ox + oy * oy) + MathF.Min(MathF.Max(qx, qy), 0f);
            }
            case 1:
            {
                // Ellipse with semi-axes 1 and 0.6: first-order distance f/|grad f| with f = |p/ab| - 1.
                const float a = 1f, b = 0.6f;
                float k0 = MathF.Sqrt(u * u / (a * a) + v * v / (b * b));
                if (k0 < 1e-6f) return -b;
                float k1 = MathF.Sqrt(u * u / (a * a * a * a) + v * v / (b * b * b * b));
                return k0 * (k0 - 1f) / k1;
            }
            default:
            {
                // Heart (tip down): a diamond of half-diagonal h plus two circles on its upper edges.
                const float h = 0.75f, cyd = 0.1f;
                float diamond = (MathF.Abs(u) + MathF.Abs(v - cyd) - h) * 0.70710678f;
                float rc = h * 0.70710678f, ccx = h / 2, ccy = cyd - h / 2;
                float left = MathF.Sqrt((u + ccx) * (u + ccx) + (v - ccy) * (v - ccy)) - rc;
                float right = MathF.Sqrt((u - ccx) * (u - ccx) + (v - ccy) * (v - ccy)) - rc;
                return MathF.Min(diamond, MathF.Min(left, right));
            }
        }
    }
}
