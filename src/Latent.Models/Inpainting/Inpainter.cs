using Latent.Core;

namespace Latent.Models.Inpainting;

/// <summary>
/// Inpaints a batch of images [B, C, H, W] or [B, H, W] by one of the <see cref="InpaintMethod"/>s, and scores the
/// result by PSNR on the hole pixels only (known pixels are copied, so they would only flatter every method).
/// </summary>
public static class Inpainter
{
    /// <summary>Parses <c>model</c>, <c>telea</c> or <c>navier-stokes</c> (also <c>ns</c>); ArgumentException naming <c>--method</c> otherwise.</summary>
    public static InpaintMethod ParseMethod(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "model" => InpaintMethod.Model,
        "telea" => InpaintMethod.Telea,
        "navier-stokes" or "ns" => InpaintMethod.NavierStokes,
        _ => throw new ArgumentException($"--method '{text}' is not one of model, telea, navier-stokes", nameof(text)),
    };

    /// <summary>(H, W) of image samples [C,H,W] or [H,W]; ArgumentException otherwise.</summary>
    public static (int Height, int Width) ImageSize(int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        return sampleShape.Length switch
        {
            3 => (sampleShape[1], sampleShape[2]),
            2 => (sampleShape[0], sampleShape[1]),
            _ => throw new ArgumentException($"inpainting needs image samples [C,H,W] or [H,W], got {Shapes.Format(sampleShape)}", nameof(sampleShape)),
        };
    }

    /// <summary>
    /// <paramref name="x"/> [B, ...S] with the holes (<paramref name="holes"/>[b], [H·W]) filled by <paramref name="method"/>;
    /// <paramref name="model"/>, <paramref name="iterations"/> and <paramref name="fill"/> (the starting value of the hole,
    /// null for the mean of the known pixels) are used only by <see cref="InpaintMethod.Model"/>.
    /// </summary>
    public static Tensor Inpaint(InpaintMethod method, Tensor x, IReadOnlyList<bool[]> holes, IAutoencoder? model = null, int iterations = ManifoldProjection.DefaultIterations, int radius = 3, float? fill = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(holes);
        if (method == InpaintMethod.Model)
            return ManifoldProjection.Inpaint(model ?? throw new ArgumentException("inpainting with the model needs a model", nameof(model)), x, holes, iterations, fill);
        var (h, w) = ImageSize(x.Shape[1..]);
        int b = x.Shape[0], plane = h * w, channels = x.Size / (b * plane);
        if (holes.Count != b) throw new ArgumentException($"Inpainter: {holes.Count} masks for {b} images", nameof(holes));
        var v = x.ToArray();
        for (int i = 0; i < b; i++)
        for (int c = 0; c < channels; c++)
        {
            var img = v.AsSpan((i * channels + c) * plane, plane);
            if (method == InpaintMethod.Telea) ClassicalInpainting.Telea(img, holes[i], h, w, radius);
            else ClassicalInpainting.NavierStokes(img, holes[i], h, w, radius);
        }
        return new Tensor(v, (int[])x.Shape.Clone());
    }

    /// <summary><paramref name="x"/> [B, ...S] with hole pixels set to <paramref name="value"/> (the "masked" row of the pictures).</summary>
    public static Tensor Masked(Tensor x, IReadOnlyList<bool[]> holes, float value = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(holes);
        int b = x.Shape[0], size = x.Size / b, plane = holes[0].Length;
        var v = x.ToArray();
        for (int i = 0; i < b; i++)
        for (int j = 0; j < size; j++)
            if (holes[i][j % plane]) v[i * size + j] = value;
        return new Tensor(v, (int[])x.Shape.Clone());
    }

    /// <summary>PSNR in dB (peak 1) between <paramref name="restored"/> and <paramref name="original"/> [B, ...S] over the hole pixels of all images.</summary>
    public static double HolePsnr(Tensor restored, Tensor original, IReadOnlyList<bool[]> holes)
    {
        ArgumentNullException.ThrowIfNull(restored);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(holes);
        if (!Shapes.Equal(restored.Shape, original.Shape))
            throw new ArgumentException($"HolePsnr: {Shapes.Format(restored.Shape)} vs {Shapes.Format(original.Shape)}", nameof(restored));
        int b = original.Shape[0], size = original.Size / b, plane = holes[0].Length;
        var r = restored.Span;
        var o = original.Span;
        double se = 0;
        long n = 0;
        for (int i = 0; i < b; i++)
        for (int j = 0; j < size; j++)
        {
            if (!holes[i][j % plane]) continue;
            double d = Math.Clamp(r[i * size + j], 0f, 1f) - o[i * size + j];
            se += d * d;
            n++;
        }
        if (n == 0) throw new ArgumentException("HolePsnr: the masks have no hole pixels", nameof(holes));
        double mse = se / n;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(1 / mse);
    }
}
