using Latent.Core;
using Latent.Data;
using Latent.Models.SuperResolution;
using Latent.Viz.Images;

namespace Latent.Viz.Report;

/// <summary>The super-resolution comparison grid of a <see cref="SuperResolutionAutoencoder"/>.</summary>
public static class SuperResolutionPictures
{
    /// <summary>
    /// Four rows for the samples at <paramref name="indices"/>: the box-downsampled input enlarged by nearest neighbour,
    /// bicubic upscaling (clipped to [0, 1]), the model's output and the original.
    /// </summary>
    public static Raster Comparison(SuperResolutionAutoencoder model, Dataset data, int[] indices, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var x = data.Batch(indices);
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var low = model.Downsample(x);
            return ModelPictures.Rows(
                [Resampling.Nearest(low, model.Factor), Resampling.Bicubic(low, model.Factor).Clamp(0f, 1f), model.Upscale(low), x],
                indices.Length, scale);
        }
        finally
        {
            if (wasTraining) model.Train();
        }
    }
}
