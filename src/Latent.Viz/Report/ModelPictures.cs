using Latent.Core;
using Latent.Data;
using Latent.Models;
using Latent.Models.Denoising;
using Latent.Viz.Images;

namespace Latent.Viz.Report;

/// <summary>
/// The pictures of a trained model as image grids: reconstructions, samples, interpolations, latent traversals
/// and denoising. Every method runs the model under no-grad in evaluation mode and works for any
/// <see cref="IAutoencoder"/> whose samples are images ([C,H,W] with C = 1 or 3, or [H,W]).
/// </summary>
public static class ModelPictures
{
    /// <summary>True when samples of <paramref name="sampleShape"/> can be drawn as images.</summary>
    public static bool IsImage(int[] sampleShape) =>
        sampleShape.Length == 2 || (sampleShape.Length == 3 && sampleShape[0] is 1 or 3);

    /// <summary>Indices of the first <paramref name="count"/> samples (or fewer) of <paramref name="data"/>.</summary>
    public static int[] FirstIndices(Dataset data, int count) => Enumerable.Range(0, Math.Min(count, data.Count)).ToArray();

    /// <summary>Originals in the top row, reconstructions below: [x, model(x)] for the samples at <paramref name="indices"/>.</summary>
    public static Raster Reconstructions(IAutoencoder model, Dataset data, int[] indices, int scale = 2)
    {
        var x = data.Batch(indices);
        return Rows([x, Run(model, m => m.Reconstruct(x))], indices.Length, scale);
    }

    /// <summary>
    /// Samples of chosen classes from a class-conditional model: <paramref name="perClass"/> samples of each class in
    /// <paramref name="classes"/>, each class starting a new row of the grid (rows of <paramref name="columns"/>).
    /// With every class of the model, one row per class in class order. With <paramref name="classNames"/> (indexed by
    /// class) each group's name is written at the left of its first row (<see cref="ImageGrid.ComposeLabelledRows"/>).
    /// </summary>
    public static Raster ClassSamples(IConditionalGenerativeModel model, IReadOnlyList<int> classes, int perClass, int columns, Rng rng, int scale = 2,
        IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(rng);
        if (classes.Count == 0 || perClass < 1)
            throw new ArgumentException($"ModelPictures.ClassSamples: need at least one class and one sample per class (got {classes.Count} and {perClass})", nameof(classes));
        var labels = classes.SelectMany(c => Enumerable.Repeat(c, perClass)).ToArray();
        var s = Run(model as IAutoencoder, _ => model.Sample(labels.Length, rng, labels));
        var groups = Enumerable.Range(0, classes.Count).Select(i => s.Narrow(0, i * perClass, perClass)).ToList();
        if (classNames is null) return Rows(groups, columns, scale);
        var names = classes.Select(c => c < classNames.Count ? classNames[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return ImageGrid.ComposeLabelledRows(groups.Select(AsImages).ToList(), names, new GridOptions { Columns = Math.Max(1, columns), Scale = scale, Padding = 2 });
    }

    /// <summary>The reconstruction of the samples at <paramref name="indices"/> (a tensor shaped like the batch).</summary>
    public static Tensor Reconstruct(IAutoencoder model, Dataset data, int[] indices)
    {
        var x = data.Batch(indices);
        return Run(model, m => m.Reconstruct(x));
    }

    /// <summary>Image rows (each [N, ...sample shape]) as one grid with <paramref name="columns"/> columns.</summary>
    public static Raster Rows(IReadOnlyList<Tensor> rows, int columns, int scale = 2)
    {
        var shaped = rows.Select(AsImages).ToList();
        return ImageGrid.ComposeRows(shaped, new GridOptions { Columns = Math.Max(1, columns), Scale = scale, Padding = 2 });
    }

    /// <summary><paramref name="count"/> samples of a generative model, in rows of <paramref name="columns"/>.</summary>
    public static Raster Samples(IGenerativeModel model, int count, Rng rng, int columns = 10, int scale = 2)
    {
        var s = Run(model as IAutoencoder, _ => model.Sample(count, rng));
        return ImageGrid.Compose(AsImages(s), new GridOptions { Columns = columns, Scale = scale });
    }

    /// <summary>Decodes the straight line between the codes of <paramref name="from"/> and <paramref name="to"/> in <paramref name="steps"/> points (both ends included); originals at both ends.</summary>
    public static Raster Interpolation(IAutoencoder model, Tensor from, Tensor to, int steps, int scale = 3)
    {
        if (steps < 2) throw new ArgumentException($"--steps {steps} must be at least 2", nameof(steps));
        var line = Run(model, m =>
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
        return Rows([Concat(from, line, to)], steps + 2, scale);
    }

    /// <summary>
    /// One row per code dimension (the first <paramref name="maxDims"/>): the decoded code of <paramref name="x"/> [1, ...]
    /// with that dimension set to its value plus <paramref name="steps"/> offsets evenly spaced in ±<paramref name="range"/>.
    /// </summary>
    public static Raster Traversal(IAutoencoder model, Tensor x, int steps, float range, int maxDims, int scale = 2)
    {
        if (steps < 2) throw new ArgumentException($"--steps {steps} must be at least 2", nameof(steps));
        if (!(range > 0) || !float.IsFinite(range)) throw new ArgumentException($"--range {range} must be positive", nameof(range));
        var rows = new List<Tensor>();
        Run(model, m =>
        {
            var z0 = m.Encode(x).ToArray();
            int k = z0.Length, dims = Math.Min(k, Math.Max(1, maxDims));
            for (int d = 0; d < dims; d++)
            {
                var z = new float[steps * k];
                for (int s = 0; s < steps; s++)
                {
                    z0.CopyTo(z, s * k);
                    z[s * k + d] += -range + 2 * range * s / (steps - 1);
                }
                rows.Add(m.Decode(new Tensor(z, [steps, k])));
            }
            return rows[0];
        });
        return Rows(rows, steps, scale);
    }

    /// <summary>Clean / corrupted / restored rows for the samples at <paramref name="indices"/>, and the SSE per image of the noisy and the restored ones.</summary>
    public static (Raster Grid, double NoisySse, double RestoredSse) Denoise(IAutoencoder model, Dataset data, int[] indices, Corruption corruption, Rng rng, int scale = 2)
    {
        var clean = data.Batch(indices);
        Tensor noisy;
        using (Tensor.NoGrad()) noisy = corruption.Apply(clean, rng);
        var restored = Run(model, m => m.Reconstruct(noisy));
        double Sse(Tensor a) { double s = 0; var p = a.Span; var c = clean.Span; for (int i = 0; i < p.Length; i++) { double d = p[i] - c[i]; s += d * d; } return s / indices.Length; }
        return (Rows([clean, noisy, restored], indices.Length, scale), Sse(noisy), Sse(restored));
    }

    /// <summary>Runs <paramref name="f"/> under no-grad with the model (if a module) in evaluation mode, restoring its mode after.</summary>
    internal static Tensor Run(IAutoencoder? model, Func<IAutoencoder, Tensor> f)
    {
        var module = model as Latent.NN.Module;
        bool was = module?.Training ?? false;
        module?.Eval();
        try
        {
            using (Tensor.NoGrad()) return f(model!);
        }
        finally
        {
            module?.Train(was);
        }
    }

    private static Tensor Concat(params Tensor[] parts)
    {
        var shape = parts[0].Shape[1..];
        var values = parts.SelectMany(p => p.ToArray()).ToArray();
        return new Tensor(values, [parts.Sum(p => p.Shape[0]), .. shape]);
    }

    /// <summary>[N, ...] with samples [C,H,W] or [H,W] → images for the grid; values clamped to [0, 1] there.</summary>
    private static Tensor AsImages(Tensor t)
    {
        if (t.Rank is 3 or 4) return t;
        throw new ArgumentException($"pictures need image samples [C,H,W] or [H,W], got batch {Shapes.Format(t.Shape)}", nameof(t));
    }
}
