using Latent.Core;
using Latent.NN;

namespace Latent.Models.Pca;

/// <summary>
/// A fitted PCA: z = (x − μ) Wᵀ, x̂ = z W + μ, with W [K, D] the top-K principal directions (orthonormal rows).
/// It is the optimal linear autoencoder under squared error (Baldi &amp; Hornik 1989) and the baseline of
/// Hinton &amp; Salakhutdinov 2006. Stored as buffers "mean" [D], "components" [K, D], "explained_variance" [K].
/// </summary>
public sealed class PcaModel : Module, IAutoencoder
{
    /// <summary>A model from fitted statistics (see <see cref="Pca.Fit"/>).</summary>
    public PcaModel(int[] inputShape, Tensor mean, Tensor components, Tensor explainedVariance, double totalVariance)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int d = Shapes.Size(inputShape);
        if (mean.Rank != 1 || mean.Size != d) throw new ArgumentException($"PcaModel: mean {Shapes.Format(mean.Shape)} is not [{d}]", nameof(mean));
        if (components.Rank != 2 || components.Shape[1] != d) throw new ArgumentException($"PcaModel: components {Shapes.Format(components.Shape)} are not [K,{d}]", nameof(components));
        if (explainedVariance.Rank != 1 || explainedVariance.Size != components.Shape[0])
            throw new ArgumentException($"PcaModel: explained variance {Shapes.Format(explainedVariance.Shape)} is not [{components.Shape[0]}]", nameof(explainedVariance));
        InputShape = (int[])inputShape.Clone();
        Mean = AddBuffer("mean", mean);
        Components = AddBuffer("components", components);
        ExplainedVariance = AddBuffer("explained_variance", explainedVariance);
        TotalVariance = totalVariance;
    }

    /// <inheritdoc />
    public int[] InputShape { get; }

    /// <inheritdoc />
    public int CodeSize => Components.Shape[0];

    /// <summary>μ, [D].</summary>
    public Tensor Mean { get; }

    /// <summary>W, [K, D]: principal directions as rows, by decreasing variance.</summary>
    public Tensor Components { get; }

    /// <summary>λ₁ ≥ ... ≥ λ_K, [K]: variance along each component (covariance normalised by N).</summary>
    public Tensor ExplainedVariance { get; }

    /// <summary>Σ of all D eigenvalues = trace of the covariance (normalised by N).</summary>
    public double TotalVariance { get; }

    /// <summary>Σ of the dropped eigenvalues: on the training data, the mean squared error per sample equals this.</summary>
    public double DroppedVariance => TotalVariance - ExplainedVariance.ToArray().Sum(v => (double)v);

    /// <inheritdoc />
    public Tensor Encode(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != InputShape.Length + 1 || !Shapes.Equal(x.Shape.AsSpan(1), InputShape))
            throw new ArgumentException($"pca.Encode: input {Shapes.Format(x.Shape)} is not [B,{string.Join(",", InputShape)}]", nameof(x));
        return Tensor.MatMul(x.Reshape(x.Shape[0], -1) - Mean, Components, transposeB: true);
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2 || z.Shape[1] != CodeSize)
            throw new ArgumentException($"pca.Decode: code {Shapes.Format(z.Shape)} is not [B,{CodeSize}]", nameof(z));
        return (Tensor.MatMul(z, Components) + Mean).Reshape([z.Shape[0], .. InputShape]);
    }

    /// <inheritdoc />
    public Tensor Reconstruct(Tensor x) => Decode(Encode(x));
}
