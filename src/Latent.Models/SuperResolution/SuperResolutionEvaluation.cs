using Latent.Core;
using Latent.Data;
using Latent.Models.Metrics;

namespace Latent.Models.SuperResolution;

/// <summary>Scores a super-resolution model against bicubic interpolation on a dataset of full-resolution images.</summary>
public static class SuperResolutionEvaluation
{
    /// <summary>
    /// Box-downsamples the images [C, H, W] of <paramref name="data"/> by the model's factor, upscales them by bicubic
    /// interpolation (clipped to [0, 1]) and by the model (evaluation mode, no gradients), and averages PSNR and SSIM (7×7 Gaussian window,
    /// σ = 1.5) over the images, in batches of <paramref name="batchSize"/>.
    /// </summary>
    public static SuperResolutionScores Evaluate(SuperResolutionAutoencoder model, Dataset data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("SuperResolutionEvaluation: the dataset is empty", nameof(data));
        if (batchSize < 1) throw new ArgumentException($"SuperResolutionEvaluation: batch size {batchSize} must be positive", nameof(batchSize));
        double bp = 0, bs = 0, mp = 0, ms = 0;
        using (model.Evaluating())
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                var idx = Enumerable.Range(start, Math.Min(batchSize, data.Count - start)).ToArray();
                var x = data.Batch(idx);
                var low = model.Downsample(x);
                // Bicubic overshoots at edges; clipped to the data range [0, 1] as an image codec would store it.
                var bicubic = Resampling.Bicubic(low, model.Factor).Clamp(0f, 1f);
                var output = model.Upscale(low);
                int n = idx.Length;
                bp += n * ImageQuality.Psnr(bicubic, x);
                bs += n * ImageQuality.Ssim(bicubic, x);
                mp += n * ImageQuality.Psnr(output, x);
                ms += n * ImageQuality.Ssim(output, x);
            }
        }
        int count = data.Count;
        return new SuperResolutionScores(model.Factor, count, bp / count, bs / count, mp / count, ms / count);
    }
    /// <summary>
    /// Mean PSNR (dB) and SSIM of a classical upscaler ("nearest", "bilinear" or "bicubic", <see cref="Resampling.Upscale"/>,
    /// output clipped to [0, 1]) on the images [C, H, W] of <paramref name="data"/>, box-downsampled by
    /// <paramref name="factor"/> first: the same pairs <see cref="Evaluate"/> scores the model on.
    /// </summary>
    public static (double Psnr, double Ssim) EvaluateBaseline(Dataset data, int factor, string method, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(method);
        if (data.Count == 0) throw new ArgumentException("SuperResolutionEvaluation: the dataset is empty", nameof(data));
        if (batchSize < 1) throw new ArgumentException($"SuperResolutionEvaluation: batch size {batchSize} must be positive", nameof(batchSize));
        if (method is not ("nearest" or "bilinear" or "bicubic"))
            throw new ArgumentException($"SuperResolutionEvaluation: method '{method}' must be nearest, bilinear or bicubic", nameof(method));
        double psnr = 0, ssim = 0;
        using var _ = Tensor.NoGrad();
        for (int start = 0; start < data.Count; start += batchSize)
        {
            var idx = Enumerable.Range(start, Math.Min(batchSize, data.Count - start)).ToArray();
            var x = data.Batch(idx);
            var output = Resampling.Upscale(Resampling.Downsample(x, factor), factor, method).Clamp(0f, 1f);
            psnr += idx.Length * ImageQuality.Psnr(output, x);
            ssim += idx.Length * ImageQuality.Ssim(output, x);
        }
        return (psnr / data.Count, ssim / data.Count);
    }
}
