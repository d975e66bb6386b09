using Latent.Core;

namespace Latent.Models.Distributions;

/// <summary>
/// Independent categorical distributions over K classes, one per row of the logits ℓ [..., K]:
/// q(k) = softmax(ℓ)_k (torch.distributions.Categorical(logits=ℓ)). Log-probabilities, entropies and KL divergences
/// are one value per distribution, [...]; all are differentiable in ℓ. Sampling is not (use the Gumbel-softmax
/// relaxation, <see cref="Relaxed"/>, for a reparameterised sample).
/// </summary>
public sealed class Categorical
{
    /// <summary>The distributions with logits <paramref name="logits"/> [..., K].</summary>
    public Categorical(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank == 0 || logits.Shape[^1] == 0)
            throw new ArgumentException($"Categorical: logits {Shapes.Format(logits.Shape)} need a non-empty last (class) axis", nameof(logits));
        Logits = logits;
    }

    /// <summary>ℓ [..., K].</summary>
    public Tensor Logits { get; }

    /// <summary>K, the number of classes.</summary>
    public int Classes => Logits.Shape[^1];

    /// <summary>log q = log softmax(ℓ) [..., K].</summary>
    public Tensor LogProbabilities => Logits.LogSoftmax(-1);

    /// <summary>q = softmax(ℓ) [..., K].</summary>
    public Tensor Probabilities => Logits.Softmax(-1);

    /// <summary>The most likely class of each distribution, argmax ℓ, row-major over [...].</summary>
    public int[] Mode() => Logits.ArgMax(-1);

    /// <summary>log q(k) for one class per distribution (<paramref name="classes"/> row-major over [...]): [...].</summary>
    public Tensor LogProb(int[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var logQ = LogProbabilities;
        int rows = Logits.Size / Classes;
        if (classes.Length != rows)
            throw new ArgumentException($"Categorical.LogProb: {classes.Length} classes for logits {Shapes.Format(Logits.Shape)} ({rows} distributions)", nameof(classes));
        foreach (int k in classes)
            if ((uint)k >= (uint)Classes) throw new ArgumentException($"Categorical.LogProb: class {k} not in [0, {Classes})", nameof(classes));
        var pickShape = (int[])Logits.Shape.Clone();
        pickShape[^1] = 1;
        return logQ.GatherAlong(-1, classes, pickShape).Squeeze(-1);
    }

    /// <summary>The entropy H(q) = −Σ_k q_k log q_k, [...].</summary>
    public Tensor Entropy()
    {
        var logQ = LogProbabilities;
        return -(logQ.Exp() * logQ).Sum(-1);
    }

    /// <summary>KL(q ‖ p) = Σ_k q_k (log q_k − log p_k) against <paramref name="other"/> of the same shape, [...].</summary>
    public Tensor Kl(Categorical other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Shapes.Equal(other.Logits.Shape, Logits.Shape))
            throw new ArgumentException($"Categorical.Kl: {Shapes.Format(Logits.Shape)} against {Shapes.Format(other.Logits.Shape)}", nameof(other));
        var logQ = LogProbabilities;
        return (logQ.Exp() * (logQ - other.LogProbabilities)).Sum(-1);
    }

    /// <summary>KL(q ‖ U{1..K}) = Σ_k q_k log q_k + log K (the uniform prior of a discrete VAE), [...].</summary>
    public Tensor KlToUniform()
    {
        var logQ = LogProbabilities;
        return (logQ.Exp() * logQ).Sum(-1) + MathF.Log(Classes);
    }

    /// <summary>Exact draws k ~ q by the Gumbel-max trick, argmax(ℓ + g), g ~ Gumbel(0, 1): row-major over [...].</summary>
    public int[] Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        using (Tensor.NoGrad()) return (Logits + rng.Gumbel(Logits.Shape)).ArgMax(-1);
    }

    /// <summary>The reparameterised relaxed sample softmax((ℓ + g)/τ) [..., K] (<see cref="GumbelSoftmax.Relaxed"/>).</summary>
    public Tensor Relaxed(float temperature, Rng rng) => GumbelSoftmax.Relaxed(Logits, temperature, rng);

    /// <summary>
    /// The straight-through sample [..., K]: one-hot argmax(ℓ + g) forward, the gradient of the relaxed sample at
    /// temperature τ backward (<see cref="GumbelSoftmax.StraightThrough"/>; torch's gumbel_softmax(hard=True)).
    /// </summary>
    public Tensor Hard(float temperature, Rng rng) => GumbelSoftmax.StraightThrough(Relaxed(temperature, rng));

    /// <summary>One-hot rows of the given classes, [..., K] (<see cref="GumbelSoftmax.OneHot"/>).</summary>
    public Tensor OneHot(int[] classes) => GumbelSoftmax.OneHot(classes, Logits.Shape);
}
