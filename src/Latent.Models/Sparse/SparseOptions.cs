using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Sparse;

/// <summary>
/// Options of the sparse autoencoder, after Andrew Ng's CS294A lecture notes "Sparse autoencoder" (Stanford, 2011):
/// sigmoid hidden units, target activation ρ = 0.05 (the notes' example value), weight decay λ = 10⁻⁴ (the notes'
/// exercise) and a sparsity weight β = 18, which is the notes' β = 3 carried over to our reconstruction term. The notes
/// reconstruct through sigmoid outputs with ½‖x − x̂‖², whose gradient on an output logit is (x̂ − x)·x̂(1 − x̂); our
/// Bernoulli output uses cross-entropy on the logits, whose gradient is (x̂ − x), without the x̂(1 − x̂) ≤ ¼ factor.
/// Measured on Fashion-MNIST after training with the notes' objective, the cross-entropy pulls on the code 5.9 times
/// harder (‖∂L_BCE/∂h‖ / ‖∂L_notes/∂h‖), so the same balance needs β ≈ 3 × 5.9 ≈ 18.
/// With β = 3 and cross-entropy the mean activation settles well above ρ (0.069 after 10 epochs on Fashion-MNIST).
/// The notes use one hidden layer; 784-196 is the size of the notes' MNIST exercise. The L1 variant replaces the KL
/// term by λ₁ (1/B) Σ |h|.
/// </summary>
public sealed record SparseOptions : ModelOptions
{
    /// <summary>The network keys, penalty, rho, beta, lambda and decay.</summary>
    public static readonly OptionSchema<SparseOptions> Schema = new OptionSchema<SparseOptions>("sparse-ae")
        .Network(o => o.Network)
        .Choice(o => o.Penalty, "penalty", "kl: β Σ_j KL(ρ ‖ ρ̂_j) (needs code=sigmoid); l1: λ₁ times the mean L1 norm of the code")
        .Real(o => o.Rho, "rho", "(0, 1)", "target mean activation ρ of each code unit (the notes' example)")
        .Real(o => o.Beta, "beta", "[0, inf)", "weight β of the KL penalty: the notes' 3 scaled to the cross-entropy reconstruction")
        .Real(o => o.L1Weight, "lambda", "[0, inf)", "weight λ₁ of the L1 activity penalty (our choice; no paper value)")
        .Real(o => o.WeightDecay, "decay", "[0, inf)", "weight decay (λ/2) Σ W² on the weight matrices (the notes' exercise)");

    /// <summary>The encoder/decoder: 784-196, sigmoid hidden and code units, Bernoulli output.</summary>
    public AutoencoderOptions Network { get; init; } = new() { Architecture = "784-196", HiddenActivation = "sigmoid", CodeActivation = "sigmoid" };

    /// <summary>KL (default) or L1.</summary>
    public SparsityPenalty Penalty { get; init; } = SparsityPenalty.Kl;

    /// <summary>ρ: the target mean activation of each code unit, in (0, 1).</summary>
    public float Rho { get; init; } = 0.05f;

    /// <summary>β: weight of the KL sparsity penalty; 18 = the notes' 3 scaled to the cross-entropy reconstruction (see the type's remarks).</summary>
    public float Beta { get; init; } = 18f;

    /// <summary>λ₁: weight of the L1 activity penalty (L1 variant only; our default, no paper value).</summary>
    public float L1Weight { get; init; } = 0.1f;

    /// <summary>λ: weight decay (λ/2) Σ W² over the weight matrices (not the biases), as in the notes' cost J(W, b).</summary>
    public float WeightDecay { get; init; } = 1e-4f;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        // ρ̂_j is a mean firing probability: the KL penalty needs code activations in (0, 1).
        if (Penalty == SparsityPenalty.Kl && !string.Equals(Network.CodeActivation, "sigmoid", StringComparison.OrdinalIgnoreCase))
            throw Invalid("code", "penalty=kl needs code=sigmoid (activations in (0,1))");
    }
}
