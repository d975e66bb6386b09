using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>
/// Layer normalisation (Ba et al. 2016), torch.nn.LayerNorm: normalises over the trailing
/// <see cref="NormalizedShape"/> axes with the biased variance, y = (x − E[x]) / √(Var[x] + ε) · γ + β;
/// γ (weight, ones) and β (bias, zeros) have the normalised shape.
/// </summary>
public sealed class LayerNorm : Layer
{
    /// <summary>Layer norm over trailing axes of <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d <= 0))
            throw new ArgumentException($"LayerNorm: normalized shape {Shapes.Format(normalizedShape)} must be non-empty with positive dimensions", nameof(normalizedShape));
        if (!(eps > 0f)) throw new ArgumentException($"LayerNorm: eps {eps} must be positive", nameof(eps));
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = AddParameter("weight", Tensor.Ones(NormalizedShape));
            Bias = AddParameter("bias", Tensor.Zeros(NormalizedShape));
        }
    }

    /// <summary>Layer norm over the last axis of size <paramref name="features"/>.</summary>
    public LayerNorm(int features, float eps = 1e-5f, bool elementwiseAffine = true) : this([features], eps, elementwiseAffine) { }

    /// <summary>The trailing shape that is normalised.</summary>
    public int[] NormalizedShape { get; }

    /// <summary>ε added to the variance.</summary>
    public float Eps { get; }

    /// <summary>γ with the normalised shape, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>β with the normalised shape, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>x [..., *normalizedShape] -> same shape.</summary>
    public override Tensor Forward(Tensor x) => F.LayerNorm(x, NormalizedShape, Weight, Bias, Eps);
}
