using Latent.Core;
using Latent.Models;
using Latent.Viz.Images;

namespace Latent.Viz.Weights;

/// <summary>
/// The first layer's weights of a model as image tiles: the rows of an MLP's first weight matrix [H, C·Hᵢ·Wᵢ]
/// reshaped to the input image, or a convolution's kernels [O, C, k, k]. Each tile is normalised on its own to
/// [0, 1] (min → black, max → white), so a tile shows the pattern its unit responds to, not its scale. A plain
/// autoencoder's MNIST filters are noisy outside the digit region (pixels that are always 0 never change those
/// weights), a denoising autoencoder's are smooth there (Vincent et al. 2010, fig. 6).
/// </summary>
public static class FilterTiles
{
    /// <summary>
    /// The first weight tensor of <paramref name="model"/> in state-dict order that acts on the input: a matrix whose
    /// rows have the input's size, or a 4-D kernel whose input channels are the image's. Returns its state-dict name too.
    /// </summary>
    public static (string Name, Tensor Weight) FirstLayer(AutoencoderModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int inputSize = model.InputSize;
        int channels = model.InputShape.Length == 3 ? model.InputShape[0] : 1;
        foreach (var (name, t) in model.StateDict())
        {
            if (!name.EndsWith("weight", StringComparison.Ordinal)) continue;
            if (t.Rank == 2 && t.Shape[1] == inputSize) return (name, t);
            if (t.Rank == 4 && t.Shape[1] == channels && t.Shape[2] > 1) return (name, t);
        }
        throw new ArgumentException($"model '{model.Name}' has no first-layer weight acting on its input {Shapes.Format(model.InputShape)} (a linear map of {inputSize} inputs or a convolution over {channels} channels)", nameof(model));
    }

    /// <summary>
    /// Tiles for the first <paramref name="count"/> units of <paramref name="weight"/>: [N, C, h, w] with values in [0, 1],
    /// normalised per tile. A matrix [H, C·Hᵢ·Wᵢ] is reshaped to <paramref name="inputShape"/>; a kernel [O, C, k, k]
    /// with C = 1 or 3 is kept, other channel counts are averaged to one grey tile.
    /// </summary>
    public static Tensor Tiles(Tensor weight, int[] inputShape, int count)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (count < 1) throw new ArgumentException($"--count {count} must be positive", nameof(count));
        int n = Math.Min(count, weight.Shape[0]);
        int c, h, w;
        var src = weight.Span;
        float[] v;
        if (weight.Rank == 2)
        {
            if (weight.Shape[1] != Shapes.Size(inputShape))
                throw new ArgumentException($"FilterTiles: weight {Shapes.Format(weight.Shape)} rows do not match input {Shapes.Format(inputShape)}", nameof(weight));
            (c, h, w) = inputShape.Length switch
            {
                3 => (inputShape[0], inputShape[1], inputShape[2]),
                2 => (1, inputShape[0], inputShape[1]),
                _ => throw new ArgumentException($"FilterTiles: input {Shapes.Format(inputShape)} is not an image", nameof(inputShape)),
            };
            if (c is not (1 or 3)) throw new ArgumentException($"FilterTiles: input {Shapes.Format(inputShape)} has {c} channels; images have 1 or 3", nameof(inputShape));
            v = src[..(n * c * h * w)].ToArray();
        }
        else if (weight.Rank == 4)
        {
            int cin = weight.Shape[1];
            h = weight.Shape[2];
            w = weight.Shape[3];
            int plane = h * w;
            if (cin is 1 or 3)
            {
                c = cin;
                v = src[..(n * c * plane)].ToArray();
            }
            else
            {
                c = 1;
                v = new float[n * plane];
                for (int o = 0; o < n; o++)
                for (int ch = 0; ch < cin; ch++)
                for (int p = 0; p < plane; p++)
                    v[o * plane + p] += src[(o * cin + ch) * plane + p] / cin;
            }
        }
        else throw new ArgumentException($"FilterTiles: weight {Shapes.Format(weight.Shape)} is neither a matrix nor a 4-D kernel", nameof(weight));

        int size = c * h * w;
        for (int i = 0; i < n; i++)
        {
            var tile = v.AsSpan(i * size, size);
            float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
            foreach (var x in tile) { lo = Math.Min(lo, x); hi = Math.Max(hi, x); }
            float range = hi - lo;
            for (int j = 0; j < size; j++) tile[j] = range > 0 ? (tile[j] - lo) / range : 0.5f;
        }
        return new Tensor(v, [n, c, h, w]);
    }

    /// <summary>The first <paramref name="count"/> first-layer filters of <paramref name="model"/> as a grid of <paramref name="columns"/> columns.</summary>
    public static Raster Draw(AutoencoderModel model, int count = 64, int columns = 8, int scale = 2)
    {
        var (_, weight) = FirstLayer(model);
        var tiles = Tiles(weight, model.InputShape, count);
        int s = tiles.Shape[2] < 8 ? Math.Max(scale, 8) : scale;
        return ImageGrid.Compose(tiles, new GridOptions { Columns = Math.Max(1, columns), Scale = s, Padding = 1 });
    }
}
