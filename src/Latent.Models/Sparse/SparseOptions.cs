using Latent.Models.Autoencoder;

namespace Latent.Models.Sparse;

/// <summary>
/// Options of the sparse autoencoder, after Andrew Ng's CS294A lecture notes "Sparse autoencoder" (Stanford, 2011):
/// sigmoid hidden units, target activation ρ = 0.05 (the notes' example value), weight decay λ = 10⁻⁴ (the notes'
/// exercise) and a sparsity weight β = 18, which is the notes' β = 3 carried over to our reconstruction term. The notes
/// reconstruct through sigmoid outputs with ½‖x − x̂‖², whose gradient on an output logit is (x̂ − x)·x̂(1 − x̂); our
/// Bernoulli output uses cross-entropy on the logits, whose gradient is (x̂ − x), without the x̂(1 − x̂) ≤ ¼ factor.
/// Measured on Fashion-MNIST after training with the notes' objective, the cross-entropy pulls on the code 5.9 times
/// harder (‖∂L_BCE/∂h‖ / ‖∂L_notes/∂h‖, bench/quality/zoo1a-evidence.md), so the same balance needs β ≈ 3 × 5.9 ≈ 18.
/// With β = 3 and cross-entropy the mean activation settles well above ρ (0.069 after 10 epochs on Fashion-MNIST).
/// The notes use one hidden layer; 784-196 is the size of the notes' MNIST exercise. The L1 variant replaces the KL
/// term by λ₁ (1/B) Σ |h|.
/// </summary>
public sealed record SparseOptions : ModelOptions
{
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

    /// <summary>Throws ArgumentException naming the bad option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        Network.Validate();
        if (!Enum.IsDefined(Penalty))
            throw new ArgumentException($"sparse-ae: penalty {(int)Penalty} is not kl or l1", nameof(Penalty));
        if (!(Rho is > 0f and < 1f)) throw new ArgumentException($"sparse-ae: rho {Rho} must be in (0, 1)", nameof(Rho));
        if (!(Beta >= 0f) || float.IsInfinity(Beta)) throw new ArgumentException($"sparse-ae: beta {Beta} must be finite and >= 0", nameof(Beta));
        if (!(L1Weight >= 0f) || float.IsInfinity(L1Weight)) throw new ArgumentException($"sparse-ae: lambda {L1Weight} must be finite and >= 0", nameof(L1Weight));
        if (!(WeightDecay >= 0f) || float.IsInfinity(WeightDecay)) throw new ArgumentException($"sparse-ae: decay {WeightDecay} must be finite and >= 0", nameof(WeightDecay));
        // ρ̂_j is a mean firing probability: the KL penalty needs code activations in (0, 1).
        if (Penalty == SparsityPenalty.Kl && !string.Equals(Network.CodeActivation, "sigmoid", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"sparse-ae: the KL penalty needs code=sigmoid (activations in (0,1)), got code={Network.CodeActivation}", nameof(Network));
    }

    /// <summary>Options from "key=value" settings over the defaults: penalty (kl|l1), rho, beta, lambda, decay plus the network keys.</summary>
    public static SparseOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        const string model = "sparse-ae";
        var defaults = new SparseOptions();
        var (network, own) = FamilySettings.Split(model, settings, defaults.Network, "penalty", "rho", "beta", "lambda", "decay");
        var o = defaults with { Network = network };
        foreach (var (key, value) in own)
        {
            o = key switch
            {
                "penalty" => o with
                {
                    Penalty = value.ToLowerInvariant() switch
                    {
                        "kl" => SparsityPenalty.Kl,
                        "l1" => SparsityPenalty.L1,
                        _ => throw new ArgumentException($"{model}: penalty '{value}' is not kl or l1", nameof(Penalty)),
                    },
                },
                "rho" => o with { Rho = FamilySettings.Float(model, key, value, nameof(Rho)) },
                "beta" => o with { Beta = FamilySettings.Float(model, key, value, nameof(Beta)) },
                "lambda" => o with { L1Weight = FamilySettings.Float(model, key, value, nameof(L1Weight)) },
                _ => o with { WeightDecay = FamilySettings.Float(model, key, value, nameof(WeightDecay)) },
            };
        }
        o.Validate();
        return o;
    }

    /// <inheritdoc />
    public override string ToText() =>
        $"{Network.ToText()} penalty={Penalty.ToString().ToLowerInvariant()} rho={FamilySettings.Text(Rho)} beta={FamilySettings.Text(Beta)} " +
        $"lambda={FamilySettings.Text(L1Weight)} decay={FamilySettings.Text(WeightDecay)}";
}
