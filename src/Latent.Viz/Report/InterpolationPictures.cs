using Latent.Core;
using Latent.Models;
using Latent.Viz.Images;

namespace Latent.Viz.Report;

/// <summary>
/// Interpolation between two samples in code space (decode <c>(1 − t)·z_a + t·z_b</c>) and in pixel space
/// (cross-fade <c>(1 − t)·a + t·b</c>), for <c>t = 0, 1/(steps − 1), …, 1</c>. A cross-fade shows two ghosts
/// superimposed; a morph through a well-trained code stays on the data manifold.
/// </summary>
public static class InterpolationPictures
{
    /// <summary>Parses <c>latent</c>, <c>pixel</c> or <c>both</c>; ArgumentException naming <c>--space</c> otherwise.</summary>
    public static InterpolationSpace ParseSpace(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "latent" => InterpolationSpace.Latent,
        "pixel" => InterpolationSpace.Pixel,
        "both" => InterpolationSpace.Both,
        _ => throw new ArgumentException($"--space '{text}' is not one of latent, pixel, both", nameof(text)),
    };

    /// <summary>Cross-fade of <paramref name="from"/> and <paramref name="to"/> (each [1, ...S]) in <paramref name="steps"/> points, ends included: [steps, ...S].</summary>
    public static Tensor CrossFade(Tensor from, Tensor to, int steps)
    {
        Check(from, to, steps);
        var a = from.Span;
        var b = to.Span;
        int n = a.Length;
        var v = new float[steps * n];
        for (int s = 0; s < steps; s++)
        {
            float t = (float)s / (steps - 1);
            for (int j = 0; j < n; j++) v[s * n + j] = (1 - t) * a[j] + t * b[j];
        }
        return new Tensor(v, [steps, .. from.Shape[1..]]);
    }

    /// <summary>Decoded points on the line between the codes of <paramref name="from"/> and <paramref name="to"/> (each [1, ...S]): [steps, ...S].</summary>
    public static Tensor LatentLine(IAutoencoder model, Tensor from, Tensor to, int steps)
    {
        ArgumentNullException.ThrowIfNull(model);
        Check(from, to, steps);
        return ModelPictures.Run(model, m =>
        {
            var za = m.Encode(from).ToArray();
            var zb = m.Encode(to).ToArray();
            int k = za.Length;
            var z = new float[steps * k];
            for (int s = 0; s < steps; s++)
            {
                float t = (float)s / (steps - 1);
                for (int j = 0; j < k; j++) z[s * k + j] = (1 - t) * za[j] + t * zb[j];
            }
            return m.Decode(new Tensor(z, [steps, k]));
        });
    }

    /// <summary>
    /// The strip(s) for <paramref name="space"/>: each row is the original <paramref name="from"/>, the
    /// <paramref name="steps"/> interpolated images, and the original <paramref name="to"/>; with
    /// <see cref="InterpolationSpace.Both"/> the latent row is drawn above the pixel row.
    /// </summary>
    public static Raster Draw(IAutoencoder model, Tensor from, Tensor to, int steps, InterpolationSpace space, int scale = 3)
    {
        ArgumentNullException.ThrowIfNull(model);
        Check(from, to, steps);
        var rows = new List<Tensor>();
        if (space is InterpolationSpace.Latent or InterpolationSpace.Both) rows.Add(Concat(from, LatentLine(model, from, to, steps), to));
        if (space is InterpolationSpace.Pixel or InterpolationSpace.Both) rows.Add(Concat(from, CrossFade(from, to, steps), to));
        return ModelPictures.Rows(rows, steps + 2, scale);
    }

    private static void Check(Tensor from, Tensor to, int steps)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (steps < 2) throw new ArgumentException($"--steps {steps} must be at least 2", nameof(steps));
        if (from.Shape[0] != 1 || !Shapes.Equal(from.Shape, to.Shape))
            throw new ArgumentException($"interpolation: endpoints {Shapes.Format(from.Shape)} and {Shapes.Format(to.Shape)} must both be one sample [1, ...] of the same shape", nameof(from));
    }

    private static Tensor Concat(params Tensor[] parts)
    {
        var values = parts.SelectMany(p => p.ToArray()).ToArray();
        return new Tensor(values, [parts.Sum(p => p.Shape[0]), .. parts[0].Shape[1..]]);
    }
}
