using Latent.Core;
using Latent.Models.Autoencoder;

namespace Latent.Models.Sparse;

/// <summary>
/// The sparse autoencoder of Ng's CS294A lecture notes ("Sparse autoencoder", Stanford 2011, §2.3): the code
/// units h = f(x) ∈ (0,1) (sigmoid) are pushed to fire rarely by penalising, for every unit j, the KL divergence between
/// a Bernoulli of the target rate ρ and one of its mean activation over the batch ρ̂_j = (1/B) Σ_b h_bj:
/// <code>
///   J = L_rec + β Σ_j KL(ρ ‖ ρ̂_j) + (λ/2) Σ_l ‖W_l‖²,
///   KL(ρ ‖ ρ̂) = ρ log(ρ/ρ̂) + (1 − ρ) log((1 − ρ)/(1 − ρ̂))
/// </code>
/// The notes average the penalty over the whole training set; like every mini-batch implementation this uses the
/// batch mean. The L1 variant (<see cref="SparsityPenalty.L1"/>) uses λ₁ (1/B) Σ_b Σ_j |h_bj| instead of the KL term.
/// The sparsity term is multiplied by <see cref="TrainingContext.RegularisationWeight"/> (warm-up); weight decay is not.
/// Terms: "sparsity" (unweighted KL sum or L1 mean), "weight_decay" (weighted).
/// </summary>
public sealed class SparseAutoencoder : NetworkAutoencoder
{
    /// <summary>The registry entry ("sparse-ae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<SparseOptions>("sparse-ae",
        "Ng 2011, Sparse autoencoder, CS294A lecture notes, Stanford University",
        "sparse autoencoder: sigmoid code, beta * sum_j KL(rho || mean activation_j) (or an L1 activity penalty)",
        (options, shape, rng) => new SparseAutoencoder(options, shape, rng));

    private readonly SparseOptions _options;

    /// <summary>Builds the networks from <paramref name="options"/> for samples of <paramref name="inputShape"/>.</summary>
    public SparseAutoencoder(SparseOptions options, int[] inputShape, Rng rng)
        : base(options, ModelOptions.Checked(options).Network, inputShape, rng)
    {
        _options = options;
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var h = Encoder.Forward(x);
        var reconstruction = Reconstruction(Decoder.Forward(h), x);
        Tensor sparsity, weighted;
        if (_options.Penalty == SparsityPenalty.Kl)
        {
            sparsity = KlSparsity(h, _options.Rho);
            weighted = sparsity * (_options.Beta * ctx.RegularisationWeight);
        }
        else
        {
            sparsity = h.Abs().Sum() * (1f / Math.Max(1, h.Shape[0]));
            weighted = sparsity * (_options.L1Weight * ctx.RegularisationWeight);
        }
        var decay = WeightDecay(_options.WeightDecay);
        var regularisation = weighted + decay;
        return WithActivityPenalty(new LossTerms(total: reconstruction + regularisation, reconstruction: reconstruction, regularisation: regularisation)
            .With("sparsity", sparsity)
            .With("weight_decay", decay), h);
    }

    /// <summary>
    /// Σ_j KL(ρ ‖ ρ̂_j) for codes <paramref name="h"/> [B, Z] in (0,1), ρ̂_j = mean_b h_bj, clamped to [1e-6, 1 − 1e-6]
    /// so that a dead or saturated unit gives a large finite penalty instead of ∞. Scalar.
    /// </summary>
    public static Tensor KlSparsity(Tensor h, float rho)
    {
        ArgumentNullException.ThrowIfNull(h);
        if (h.Rank != 2) throw new ArgumentException($"KlSparsity: codes {Shapes.Format(h.Shape)} are not [B,Z]", nameof(h));
        if (!(rho is > 0f and < 1f)) throw new ArgumentException($"KlSparsity: rho {rho} must be in (0, 1)", nameof(rho));
        var rhoHat = h.Mean(0).Clamp(1e-6f, 1f - 1e-6f);
        var kl = (-rhoHat.Log() + MathF.Log(rho)) * rho + (-(1f - rhoHat).Log() + MathF.Log(1f - rho)) * (1f - rho);
        return kl.Sum();
    }

    /// <summary>(λ/2) Σ W² over the parameters named "weight" of rank ≥ 2 (biases and batch-norm scales excluded). Scalar.</summary>
    private Tensor WeightDecay(float lambda)
    {
        var sum = Tensor.Scalar(0f);
        if (lambda == 0f) return sum;
        foreach (var (name, w) in NamedParameters())
            if (name.EndsWith(".weight", StringComparison.Ordinal) && w.Rank >= 2) sum = sum + w.Square().Sum();
        return sum * (lambda / 2f);
    }
}
