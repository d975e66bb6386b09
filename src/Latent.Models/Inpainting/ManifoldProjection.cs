using Latent.Core;

namespace Latent.Models.Inpainting;

/// <summary>
/// Inpainting with an autoencoder by iterative projection onto its manifold: start from the known pixels with the
/// hole filled by a constant (the mean of the known pixels, or a given value such as 0, which is what a denoising
/// autoencoder trained with block noise saw in its holes), then repeat <c>x ← m ⊙ x_known + (1 − m) ⊙ Decode(Encode(x))</c>
/// (m = 1 on known pixels). Each reconstruction moves the image towards the nearest point the autoencoder can
/// represent; putting the known pixels back keeps the result consistent with what was observed. This is the
/// alternating-projection form of minimising <c>‖m ⊙ (Decode(z) − x)‖²</c> over images that agree with the known
/// pixels; it needs no gradients, so it works for every model, including non-differentiable encoders (VQ-VAE).
/// </summary>
public static class ManifoldProjection
{
    /// <summary>
    /// Fills the holes of <paramref name="x"/> [B, ...InputShape] (<paramref name="holes"/>[b] is [H·W] per image, true =
    /// missing, shared by all channels) with <paramref name="iterations"/> projections, starting from the hole filled with
    /// <paramref name="fill"/> (null: the mean of each image's known pixels); returns [B, ...InputShape].
    /// </summary>
    public static Tensor Inpaint(IAutoencoder model, Tensor x, IReadOnlyList<bool[]> holes, int iterations = DefaultIterations, float? fill = null)
    {
        if (iterations < 1) throw new ArgumentException($"--iterations {iterations} must be positive", nameof(iterations));
        return Project(model, x, holes, iterations, fill, null);
    }

    /// <summary>
    /// The default number of projections: 1. Chosen by hole PSNR on 1,000 held-out training images (never the test
    /// images) among 1, 2, 3, 5, 10, 20 and 50 passes, for a denoising autoencoder trained on block holes with square
    /// holes of 25 % of the image started at 0 (Fashion-MNIST and MNIST; 40 % holes chose 2 or 3); it then beat Telea and
    /// Navier–Stokes on the test images (docs/RESULTS.md, inpainting). Further passes drift towards the blurrier images
    /// the autoencoder represents best.
    /// </summary>
    public const int DefaultIterations = 1;

    /// <summary>
    /// Chooses the number of projections on a validation set: runs the projection of <paramref name="x"/> [B, ...InputShape]
    /// (holes as in <see cref="Inpaint"/>) up to the largest of <paramref name="candidates"/> passes, scores the hole PSNR
    /// (<see cref="Inpainter.HolePsnr"/>) after each candidate count, and returns the scores and the count with the best
    /// PSNR (the smallest such count on a tie). The images should not be the ones the result will be reported on.
    /// </summary>
    public static PassChoice ChoosePasses(IAutoencoder model, Tensor x, IReadOnlyList<bool[]> holes, IReadOnlyList<int> candidates, float? fill = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0) throw new ArgumentException("ChoosePasses: no candidate pass counts", nameof(candidates));
        foreach (int c in candidates)
            if (c < 1) throw new ArgumentException($"ChoosePasses: candidate pass count {c} must be positive", nameof(candidates));
        var wanted = candidates.Distinct().Order().ToArray();
        var scores = new List<PassScore>();
        Project(model, x, holes, wanted[^1], fill, (pass, current) =>
        {
            if (Array.BinarySearch(wanted, pass) >= 0)
                scores.Add(new PassScore(pass, Inpainter.HolePsnr(new Tensor(current, (int[])x.Shape.Clone()), x, holes)));
        });
        var best = scores[0];
        foreach (var s in scores)
            if (s.HolePsnr > best.HolePsnr) best = s;
        return new PassChoice(best.Passes, scores);
    }

    // The projection loop; afterPass(pass, image values) is called after every pass (1-based) when given.
    private static Tensor Project(IAutoencoder model, Tensor x, IReadOnlyList<bool[]> holes, int iterations, float? fill, Action<int, float[]>? afterPass)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(holes);
        int b = x.Shape[0], size = x.Size / Math.Max(1, b);
        if (holes.Count != b) throw new ArgumentException($"ManifoldProjection: {holes.Count} masks for {b} images", nameof(holes));
        int plane = holes[0].Length;
        if (plane == 0 || size % plane != 0) throw new ArgumentException($"ManifoldProjection: masks of {plane} pixels do not divide samples of {size} values", nameof(holes));
        var known = x.ToArray();
        var current = (float[])known.Clone();
        for (int i = 0; i < b; i++)
        {
            double sum = 0;
            int n = 0;
            for (int j = 0; j < size; j++)
                if (!holes[i][j % plane]) { sum += known[i * size + j]; n++; }
            float start = fill ?? (n > 0 ? (float)(sum / n) : 0.5f);
            for (int j = 0; j < size; j++)
                if (holes[i][j % plane]) current[i * size + j] = start;
        }
        var module = model as Latent.NN.Module;
        using (module?.Evaluating())
        {
            using (Tensor.NoGrad())
            {
                for (int it = 0; it < iterations; it++)
                {
                    var r = model.Reconstruct(new Tensor(current, x.Shape)).Span;
                    for (int i = 0; i < b; i++)
                    for (int j = 0; j < size; j++)
                        if (holes[i][j % plane]) current[i * size + j] = r[i * size + j];
                    afterPass?.Invoke(it + 1, current);
                }
            }
        }
        return new Tensor(current, (int[])x.Shape.Clone());
    }
}
