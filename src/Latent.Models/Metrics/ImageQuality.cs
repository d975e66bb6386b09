using Latent.Core;

namespace Latent.Models.Metrics;

/// <summary>
/// Full-reference image quality for images in [0, 1]: PSNR and SSIM (Wang, Bovik, Sheikh &amp; Simoncelli 2004, "Image
/// Quality Assessment: From Error Visibility to Structural Similarity", IEEE TIP 13(4)).
/// </summary>
public static class ImageQuality
{
    /// <summary>
    /// Mean over images of PSNR = 10·log10(1 / MSE) in dB, each image's MSE over all its pixels; x and y [B, ...] with
    /// the same shape. An exact match has MSE 0 and is counted at 100 dB so the mean stays finite.
    /// </summary>
    public static double Psnr(Tensor x, Tensor y)
    {
        CheckPair(x, y, nameof(Psnr));
        int b = x.Shape[0], n = x.Size / b;
        var a = x.ToArray();
        var c = y.ToArray();
        double total = 0;
        for (int i = 0; i < b; i++)
        {
            double se = 0;
            for (int j = i * n; j < (i + 1) * n; j++) { double d = a[j] - c[j]; se += d * d; }
            total += se == 0 ? 100 : 10 * Math.Log10(n / se);
        }
        return total / b;
    }

    /// <summary>
    /// Mean SSIM over images and channels of x, y [B, C, H, W] (Eq. 13 of Wang et al. 2004, dynamic range L = 1,
    /// K1 = 0.01, K2 = 0.03): the SSIM map over every position where a <paramref name="window"/>×<paramref name="window"/>
    /// Gaussian window (σ = <paramref name="sigma"/>, normalised to sum 1) fits inside the image, averaged (the paper's
    /// mean SSIM, Eq. 17). Needs H, W ≥ window.
    /// </summary>
    public static double Ssim(Tensor x, Tensor y, int window = 7, double sigma = 1.5)
    {
        CheckPair(x, y, nameof(Ssim));
        if (x.Rank != 4) throw new ArgumentException($"Ssim: input {Shapes.Format(x.Shape)} is not [B,C,H,W]", nameof(x));
        int h = x.Shape[2], w = x.Shape[3];
        if (window < 1 || window > h || window > w)
            throw new ArgumentException($"Ssim: window {window} must be in [1, {Math.Min(h, w)}] for {h}x{w} images", nameof(window));
        if (!(sigma > 0)) throw new ArgumentException($"Ssim: sigma {sigma} must be positive", nameof(sigma));
        var g = Gaussian(window, sigma);
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        var a = x.ToArray();
        var c = y.ToArray();
        int planes = x.Shape[0] * x.Shape[1], hv = h - window + 1, wv = w - window + 1;
        double total = 0;
        for (int p = 0; p < planes; p++)
        {
            int off = p * h * w;
            double sum = 0;
            for (int r = 0; r < hv; r++)
                for (int q = 0; q < wv; q++)
                {
                    double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                    for (int i = 0; i < window; i++)
                        for (int j = 0; j < window; j++)
                        {
                            double wt = g[i] * g[j], u = a[off + (r + i) * w + q + j], v = c[off + (r + i) * w + q + j];
                            mx += wt * u; my += wt * v; xx += wt * u * u; yy += wt * v * v; xy += wt * u * v;
                        }
                    double vx = xx - mx * mx, vy = yy - my * my, cov = xy - mx * my;
                    sum += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                }
            total += sum / (hv * wv);
        }
        return total / planes;
    }

    private static double[] Gaussian(int n, double sigma)
    {
        var g = new double[n];
        double centre = (n - 1) / 2.0, s = 0;
        for (int i = 0; i < n; i++) s += g[i] = Math.Exp(-(i - centre) * (i - centre) / (2 * sigma * sigma));
        for (int i = 0; i < n; i++) g[i] /= s;
        return g;
    }

    private static void CheckPair(Tensor x, Tensor y, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank < 2 || !Shapes.Equal(x.Shape, y.Shape))
            throw new ArgumentException($"{op}: {Shapes.Format(x.Shape)} vs {Shapes.Format(y.Shape)}: images must be [B,...] of the same shape", nameof(y));
    }
}
