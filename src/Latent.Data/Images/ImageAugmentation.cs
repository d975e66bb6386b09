using System.Globalization;
using Latent.Core;

namespace Latent.Data.Images;

/// <summary>
/// Random geometric augmentation of image batches [B, C, H, W] (or [B, H, W]), seeded and deterministic: every image
/// gets its own random translation by whole pixels in [−<see cref="Shift"/>, <see cref="Shift"/>] along each axis and,
/// when enabled, a rotation by an angle in [−<see cref="RotateDegrees"/>, <see cref="RotateDegrees"/>] and a scaling by
/// a factor in [1 − <see cref="Scale"/>, 1 + <see cref="Scale"/>] about the image centre. Pixels that come from outside
/// the image are 0 (the background of MNIST-like data). A pure translation copies pixels exactly; rotation or scaling
/// resample with bilinear interpolation. The draws for image b come from <c>rng</c> in order (dx, dy, angle, scale),
/// the angle and scale only when enabled, so the same rng state and batch give the same output.
/// <para>Spec text (<see cref="Parse"/>): <c>none</c>, or comma-separated <c>shift:K</c>, <c>rotate:DEG</c>,
/// <c>scale:S</c>, e.g. <c>shift:2</c> or <c>shift:2,rotate:10</c>.</para>
/// </summary>
public sealed record ImageAugmentation
{
    /// <summary>No augmentation.</summary>
    public static ImageAugmentation None { get; } = new();

    /// <summary>Largest translation in whole pixels along each axis, ≥ 0.</summary>
    public int Shift { get; init; }

    /// <summary>Largest rotation in degrees, in [0, 180].</summary>
    public float RotateDegrees { get; init; }

    /// <summary>Largest relative scale change, in [0, 1).</summary>
    public float Scale { get; init; }

    /// <summary>True when the augmentation changes nothing.</summary>
    public bool IsNone => Shift == 0 && RotateDegrees == 0f && Scale == 0f;

    /// <summary>Throws ArgumentException naming the bad setting.</summary>
    public void Validate()
    {
        if (Shift < 0) throw new ArgumentException($"augmentation: shift {Shift} must be >= 0", nameof(Shift));
        if (!(RotateDegrees is >= 0f and <= 180f)) throw new ArgumentException($"augmentation: rotate {RotateDegrees} must be in [0, 180] degrees", nameof(RotateDegrees));
        if (!(Scale is >= 0f and < 1f)) throw new ArgumentException($"augmentation: scale {Scale} must be in [0, 1)", nameof(Scale));
    }

    /// <summary>
    /// Parses "none" or "shift:K,rotate:DEG,scale:S" (any subset, any order); ArgumentException naming the bad part.
    /// </summary>
    public static ImageAugmentation Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new ArgumentException("augmentation: spec is empty (expected none or e.g. shift:2,rotate:10)", nameof(spec));
        var a = new ImageAugmentation();
        if (spec.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return a;
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries))
        {
            var kv = part.Split(':', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || kv[1].Length == 0)
                throw new ArgumentException($"augmentation: '{part}' in '{spec}' is not key:value (keys shift, rotate, scale)", nameof(spec));
            a = kv[0].ToLowerInvariant() switch
            {
                "shift" => a with { Shift = int.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) ? k : throw Bad(part, spec, "an integer") },
                "rotate" => a with { RotateDegrees = ParseFloat(kv[1], part, spec) },
                "scale" => a with { Scale = ParseFloat(kv[1], part, spec) },
                _ => throw new ArgumentException($"augmentation: unknown key '{kv[0]}' in '{spec}' (expected shift, rotate, scale)", nameof(spec)),
            };
        }
        try { a.Validate(); }
        catch (ArgumentException e) { throw new ArgumentException(e.Message + $" (in '{spec}')", nameof(spec), e); }
        return a;
    }

    private static float ParseFloat(string value, string part, string spec) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v : throw Bad(part, spec, "a number");

    private static ArgumentException Bad(string part, string spec, string what) =>
        new($"augmentation: '{part}' in '{spec}': the value is not {what}", nameof(spec));

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsNone) return "none";
        var parts = new List<string>();
        if (Shift > 0) parts.Add($"shift:{Shift.ToString(CultureInfo.InvariantCulture)}");
        if (RotateDegrees > 0) parts.Add($"rotate:{RotateDegrees.ToString("R", CultureInfo.InvariantCulture)}");
        if (Scale > 0) parts.Add($"scale:{Scale.ToString("R", CultureInfo.InvariantCulture)}");
        return string.Join(',', parts);
    }

    /// <summary>
    /// A new batch with every image transformed independently (all channels of an image alike); <paramref name="batch"/>
    /// is not changed. Shape [B, C, H, W] or [B, H, W]; ArgumentException otherwise.
    /// </summary>
    public Tensor Apply(Tensor batch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rng);
        var shape = batch.Shape;
        if (shape.Length is not (3 or 4))
            throw new ArgumentException($"augmentation: batch of shape [{string.Join(", ", shape)}] is not [B, C, H, W] or [B, H, W] images", nameof(batch));
        int b = shape[0], c = shape.Length == 4 ? shape[1] : 1, h = shape[^2], w = shape[^1];
        var src = batch.Span;
        var dst = new float[src.Length];
        if (IsNone)
        {
            src.CopyTo(dst);
            return new Tensor(dst, (int[])shape.Clone());
        }
        int plane = h * w;
        for (int i = 0; i < b; i++)
        {
            int dx = Shift > 0 ? rng.NextInt(2 * Shift + 1) - Shift : 0;
            int dy = Shift > 0 ? rng.NextInt(2 * Shift + 1) - Shift : 0;
            double angle = RotateDegrees > 0 ? (2 * rng.NextDouble() - 1) * RotateDegrees * Math.PI / 180 : 0;
            double scale = Scale > 0 ? 1 + (2 * rng.NextDouble() - 1) * Scale : 1;
            for (int ch = 0; ch < c; ch++)
            {
                int off = (i * c + ch) * plane;
                var s = src.Slice(off, plane);
                var d = dst.AsSpan(off, plane);
                if (angle == 0 && scale == 1) Translate(s, d, h, w, dx, dy);
                else Warp(s, d, h, w, dx, dy, angle, scale);
            }
        }
        return new Tensor(dst, (int[])shape.Clone());
    }

    /// <summary>d[y, x] = s[y − dy, x − dx], 0 outside.</summary>
    private static void Translate(ReadOnlySpan<float> s, Span<float> d, int h, int w, int dx, int dy)
    {
        d.Clear();
        for (int y = 0; y < h; y++)
        {
            int sy = y - dy;
            if ((uint)sy >= (uint)h) continue;
            int x0 = Math.Max(0, dx), x1 = Math.Min(w, w + dx);
            if (x1 <= x0) continue;
            s.Slice(sy * w + x0 - dx, x1 - x0).CopyTo(d.Slice(y * w + x0, x1 - x0));
        }
    }

    /// <summary>Rotation by <paramref name="angle"/> and scaling about the centre, then the translation; bilinear, 0 outside.</summary>
    private static void Warp(ReadOnlySpan<float> s, Span<float> d, int h, int w, int dx, int dy, double angle, double scale)
    {
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        double cos = Math.Cos(angle) / scale, sin = Math.Sin(angle) / scale;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                // Inverse map: output (x, y) → source (sx, sy).
                double u = x - dx - cx, v = y - dy - cy;
                double sx = cos * u + sin * v + cx, sy = -sin * u + cos * v + cy;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                double val = (1 - fx) * (1 - fy) * At(s, h, w, x0, y0) + fx * (1 - fy) * At(s, h, w, x0 + 1, y0)
                    + (1 - fx) * fy * At(s, h, w, x0, y0 + 1) + fx * fy * At(s, h, w, x0 + 1, y0 + 1);
                d[y * w + x] = (float)val;
            }
        }
    }

    private static float At(ReadOnlySpan<float> s, int h, int w, int x, int y) =>
        (uint)x < (uint)w && (uint)y < (uint)h ? s[y * w + x] : 0f;
}
