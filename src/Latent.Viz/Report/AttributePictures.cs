using Latent.Core;
using Latent.Models;
using Latent.Models.Attributes;
using Latent.Viz.Images;

namespace Latent.Viz.Report;

/// <summary>Pictures of attribute arithmetic in code space (<see cref="AttributeVectors"/>).</summary>
public static class AttributePictures
{
    /// <summary>
    /// One row per direction: the original <paramref name="x"/> [1, ...S], then the decoded code moved by α·d for
    /// <paramref name="steps"/> values of α evenly spaced in ±<paramref name="range"/>.
    /// </summary>
    public static Raster Sweep(IAutoencoder model, Tensor x, IReadOnlyList<AttributeDirection> directions, int steps, float range, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(directions);
        if (steps < 2) throw new ArgumentException($"--steps {steps} must be at least 2", nameof(steps));
        if (!(range > 0) || !float.IsFinite(range)) throw new ArgumentException($"--range {range} must be positive", nameof(range));
        if (directions.Count == 0) throw new ArgumentException("no attribute directions to draw", nameof(directions));
        var rows = new List<Tensor>();
        ModelPictures.Run(model, m =>
        {
            var z = m.Encode(x);
            foreach (var d in directions)
            {
                var moved = new List<float>();
                for (int s = 0; s < steps; s++)
                    moved.AddRange(AttributeVectors.Move(z, d, -range + 2 * range * s / (steps - 1)).ToArray());
                var decoded = m.Decode(new Tensor([.. moved], [steps, m.CodeSize]));
                rows.Add(new Tensor([.. x.ToArray(), .. decoded.ToArray()], [steps + 1, .. x.Shape[1..]]));
            }
            return rows[0];
        });
        return ModelPictures.Rows(rows, steps + 1, scale);
    }

    /// <summary>Rows original / reconstruction / moved by <paramref name="amount"/>·d for the samples <paramref name="x"/> [B, ...S].</summary>
    public static Raster Apply(IAutoencoder model, Tensor x, AttributeDirection direction, float amount, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(direction);
        Tensor recon = null!, moved = null!;
        ModelPictures.Run(model, m =>
        {
            var z = m.Encode(x);
            recon = m.Decode(z);
            moved = m.Decode(AttributeVectors.Move(z, direction, amount));
            return moved;
        });
        return ModelPictures.Rows([x, recon, moved], x.Shape[0], scale);
    }
}
