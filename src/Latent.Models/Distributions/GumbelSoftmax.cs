using Latent.Core;

namespace Latent.Models.Distributions;

/// <summary>
/// The Gumbel-softmax (concrete) relaxation of a categorical variable (Jang, Gu &amp; Poole 2017, "Categorical
/// Reparameterization with Gumbel-Softmax", ICLR; Maddison, Mnih &amp; Teh 2017, "The Concrete Distribution", ICLR)
/// and its straight-through hard form.
/// </summary>
public static class GumbelSoftmax
{
    /// <summary>
    /// The relaxed sample y = softmax((ℓ + g) / τ) along the last axis, g ~ Gumbel(0, 1) i.i.d. (Jang et al. eq. 1).
    /// As τ → 0 the sample approaches the one-hot argmax(ℓ + g), which is an exact draw from softmax(ℓ) (the
    /// Gumbel-max trick). logits [..., K] → y [..., K], differentiable in ℓ (the reparameterisation).
    /// </summary>
    public static Tensor Relaxed(Tensor logits, float temperature, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(temperature > 0f) || float.IsInfinity(temperature))
            throw new ArgumentException($"GumbelSoftmax.Relaxed: temperature {temperature} must be finite and > 0", nameof(temperature));
        if (logits.Rank == 0) throw new ArgumentException("GumbelSoftmax.Relaxed: logits need a last (category) axis", nameof(logits));
        var g = rng.Gumbel(logits.Shape);
        return ((logits + g) * (1f / temperature)).Softmax(-1);
    }

    /// <summary>
    /// Straight-through estimator (Bengio, Léonard &amp; Courville 2013; "ST Gumbel-softmax" in Jang et al. §2.2):
    /// y_hard = one_hot(argmax y) forward, ∇y backward, written y_hard + (y − stop_gradient(y)). soft [..., K] →
    /// one-hot [..., K] whose gradient flows to <paramref name="soft"/> as if it were the identity.
    /// </summary>
    public static Tensor StraightThrough(Tensor soft)
    {
        ArgumentNullException.ThrowIfNull(soft);
        var hard = OneHot(soft.ArgMax(-1), soft.Shape);
        return hard + (soft - soft.Detach());
    }

    /// <summary>One-hot tensor of <paramref name="shape"/> [..., K] with a 1 at <paramref name="indices"/>[i] in row i (row-major over the leading axes).</summary>
    public static Tensor OneHot(int[] indices, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0) throw new ArgumentException("GumbelSoftmax.OneHot: shape needs a last (category) axis", nameof(shape));
        int k = shape[^1], rows = Shapes.Size(shape) / Math.Max(1, k);
        if (indices.Length != rows)
            throw new ArgumentException($"GumbelSoftmax.OneHot: {indices.Length} indices for shape {Shapes.Format(shape)} ({rows} rows)", nameof(indices));
        var data = new float[Shapes.Size(shape)];
        for (int r = 0; r < rows; r++)
        {
            int i = indices[r];
            if ((uint)i >= (uint)k) throw new ArgumentException($"GumbelSoftmax.OneHot: index {i} not in [0, {k})", nameof(indices));
            data[r * k + i] = 1f;
        }
        return new Tensor(data, (int[])shape.Clone());
    }
}
