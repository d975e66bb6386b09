using Latent.Core;

namespace Latent.Models.Compression;

/// <summary>Distortion measures of an image codec.</summary>
public static class CodecMetrics
{
    /// <summary>PSNR in dB (peak 1) of <paramref name="restored"/> against <paramref name="original"/> (same shape), with the restored values clamped to [0, 1] as an image would store them.</summary>
    public static double Psnr(Tensor restored, Tensor original)
    {
        ArgumentNullException.ThrowIfNull(restored);
        ArgumentNullException.ThrowIfNull(original);
        if (restored.Size != original.Size)
            throw new ArgumentException($"Psnr: {Shapes.Format(restored.Shape)} vs {Shapes.Format(original.Shape)}", nameof(restored));
        var r = restored.Span;
        var o = original.Span;
        double se = 0;
        for (int i = 0; i < r.Length; i++)
        {
            double d = Math.Clamp(r[i], 0f, 1f) - o[i];
            se += d * d;
        }
        double mse = se / r.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(1 / mse);
    }
}
