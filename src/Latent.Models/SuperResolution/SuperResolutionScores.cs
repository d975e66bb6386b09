namespace Latent.Models.SuperResolution;

/// <summary>Mean PSNR (dB) and SSIM over a split of bicubic upscaling and of the model, both from the same box-downsampled images.</summary>
/// <param name="Factor">The upscaling factor f.</param>
/// <param name="Count">Images scored.</param>
/// <param name="BicubicPsnr">PSNR of <see cref="Resampling.Bicubic"/> (a = −0.5) against the originals.</param>
/// <param name="BicubicSsim">SSIM of the bicubic images.</param>
/// <param name="ModelPsnr">PSNR of the model's output.</param>
/// <param name="ModelSsim">SSIM of the model's output.</param>
public sealed record SuperResolutionScores(int Factor, int Count, double BicubicPsnr, double BicubicSsim, double ModelPsnr, double ModelSsim)
{
    /// <summary>Model PSNR minus bicubic PSNR, dB.</summary>
    public double PsnrGain => ModelPsnr - BicubicPsnr;

    /// <summary>The scores by name, for tables and JSON.</summary>
    public IEnumerable<(string Name, double Value)> Values() =>
    [
        ("factor", Factor), ("images", Count), ("bicubic_psnr", BicubicPsnr), ("bicubic_ssim", BicubicSsim),
        ("model_psnr", ModelPsnr), ("model_ssim", ModelSsim), ("psnr_gain_db", PsnrGain),
    ];
}
