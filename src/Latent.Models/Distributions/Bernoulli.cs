using Latent.Core;
using Latent.NN.Losses;
using NnLoss = Latent.NN.Losses.Loss;

namespace Latent.Models.Distributions;

/// <summary>
/// Independent Bernoulli variables given by their logits ℓ [B, ...] (torch.distributions.Bernoulli(logits=ℓ) with
/// every axis after the batch axis an event axis): p(x|ℓ) = Π_i σ(ℓ_i)^{x_i} (1 − σ(ℓ_i))^{1 − x_i}, for x in [0, 1]
/// (real-valued x in [0, 1] gives the cross-entropy that binarised-data models train on).
/// −log p(x|ℓ) = Σ_i [max(ℓ_i, 0) − ℓ_i x_i + log(1 + e^{−|ℓ_i|})], the stable binary cross-entropy on logits.
/// </summary>
public sealed class Bernoulli : IReconstructionLikelihood
{
    /// <summary>The distribution with logits <paramref name="logits"/> [B, ...].</summary>
    public Bernoulli(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank == 0) throw new ArgumentException("Bernoulli: logits need a batch axis", nameof(logits));
        Logits = logits;
    }

    /// <summary>ℓ [B, ...].</summary>
    public Tensor Logits { get; }

    /// <summary>p = σ(ℓ) [B, ...].</summary>
    public Tensor Probabilities => Logits.Sigmoid();

    /// <summary>E[x] = σ(ℓ) [B, ...].</summary>
    public Tensor Mean => Probabilities;

    /// <summary>log p(x|ℓ) per sample, [B].</summary>
    public Tensor LogProb(Tensor x) => -NegativeLogLikelihood(x);

    /// <inheritdoc />
    public Tensor NegativeLogLikelihood(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return NnLoss.BceWithLogits(Logits, x, Reduction.None).Reshape(x.Shape[0], -1).Sum(1);
    }

    /// <inheritdoc />
    /// <remarks>One fused binary cross-entropy sum over the batch.</remarks>
    public Tensor MeanNegativeLogLikelihood(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return NnLoss.BceWithLogits(Logits, x, Reduction.Sum) * (1f / Math.Max(1, x.Shape[0]));
    }

    /// <summary>A draw x ~ p(x|ℓ), 0 or 1 per element [B, ...] (not differentiable).</summary>
    public Tensor Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        using (Tensor.NoGrad())
        {
            var p = Probabilities.ToArray();
            var u = rng.Uniform(Logits.Shape).Span;
            for (int i = 0; i < p.Length; i++) p[i] = u[i] < p[i] ? 1f : 0f;
            return new Tensor(p, (int[])Logits.Shape.Clone());
        }
    }
}
