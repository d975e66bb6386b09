using Latent.Core;

namespace Latent.Data.Generated;

/// <summary>
/// Sequences of one sprite (see <see cref="Sprites"/>) moving at constant velocity and bouncing elastically off
/// the image borders (the sprite's outer circle touches the border at the bounce), for sequence models.
/// Shape, scale and orientation are fixed per sequence; the start position is uniform and the speed is
/// 1 to 2 pixels per frame at 32x32 (scaled with the size), in a uniformly random direction.
/// </summary>
public static class MovingSprites
{
    /// <summary>
    /// Generates <paramref name="count"/> sequences of <paramref name="frames"/> frames of <paramref name="size"/> x <paramref name="size"/>,
    /// deterministic from <paramref name="seed"/>; <paramref name="speed"/> multiplies every velocity (1: 1 to 2 pixels per frame at 32x32).
    /// </summary>
    public static MovingSpritesData Generate(int count, int frames, int size = 32, ulong seed = 0, float speed = 1f)
    {
        if (!(speed > 0f) || !float.IsFinite(speed)) throw new ArgumentOutOfRangeException(nameof(speed), $"MovingSprites.Generate: speed {speed} must be a finite number > 0");
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), $"MovingSprites.Generate: count {count} must be >= 0");
        if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames), $"MovingSprites.Generate: frames {frames} must be >= 1");
        Sprites.CheckSize(size);
        var rng = new Rng(seed);
        int per = size * size;
        var x = new float[(long)count * frames * per];
        var pos = new float[count * frames * 2];
        var vel = new float[count * 2];
        var labels = new int[count];
        var factors = new float[count * 3];
        for (int i = 0; i < count; i++)
        {
            int shape = rng.NextInt(3), scaleK = rng.NextInt(6), angleK = rng.NextInt(40);
            labels[i] = shape;
            factors[3 * i] = shape; factors[3 * i + 1] = scaleK; factors[3 * i + 2] = angleK;
            float scale = Sprites.ScaleValue(scaleK), angle = Sprites.AngleValue(angleK);
            float ext = Sprites.Extent[shape] * Sprites.BaseRadius * size * scale;
            float lo = ext, hi = size - ext;
            float px = lo + (hi - lo) * rng.NextFloat(), py = lo + (hi - lo) * rng.NextFloat();
            float v = (1f + rng.NextFloat()) * size / 32f * speed, dir = 2f * MathF.PI * rng.NextFloat();
            float vx = v * MathF.Cos(dir), vy = v * MathF.Sin(dir);
            vel[2 * i] = vx; vel[2 * i + 1] = vy;
            for (int t = 0; t < frames; t++)
            {
                if (t > 0)
                {
                    px = Step(px, ref vx, lo, hi);
                    py = Step(py, ref vy, lo, hi);
                }
                pos[(i * frames + t) * 2] = px;
                pos[(i * frames + t) * 2 + 1] = py;
                Sprites.Render(shape, scale, angle, px, py, size, x.AsSpan((int)(((long)i * frames + t) * per), per));
            }
        }
        var ds = new Dataset("moving-sprites", x, [frames, 1, size, size], labels)
            .WithFactors(factors, ["shape", "scale", "orientation"], [3, 6, 40])
            .WithDescription($"{count} moving-sprite sequences of {frames} frames {size}x{size} (seed {seed}{(speed == 1f ? "" : $", speed x{speed}")}), bouncing off the borders");
        return new MovingSpritesData(ds, frames, size, pos, vel);
    }

    // One step with reflection at [lo, hi]; the velocity flips sign at a bounce.
    private static float Step(float p, ref float v, float lo, float hi)
    {
        p += v;
        if (hi <= lo) return (lo + hi) / 2;
        while (p < lo || p > hi)
        {
            if (p < lo) { p = 2 * lo - p; v = -v; }
            if (p > hi) { p = 2 * hi - p; v = -v; }
        }
        return p;
    }
}
