using System.Globalization;

namespace Latent.Models.TdVae;

/// <summary>
/// Options of the single-layer TD-VAE (Gregor et al. 2019, "Temporal Difference Variational Auto-Encoder", ICLR).
/// The paper fixes the structure (an LSTM belief over encoded frames; belief, smoothing and transition networks
/// giving diagonal Gaussians from gated "D" layers; pairs t1 &lt; t2 with a random jump) but not sizes for this data;
/// the sizes here are scaled for 16×16–32×32 moving sprites. <see cref="MaxJump"/> bounds t2 − t1 as in the paper's jumpy training.
/// </summary>
public sealed record TdVaeOptions : ModelOptions
{
    /// <summary>Width of the frame encoder's and every MLP head's hidden layers.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Size of the belief state b_t (the LSTM's hidden state).</summary>
    public int BeliefSize { get; init; } = 64;

    /// <summary>Size of the latent state z_t.</summary>
    public int StateSize { get; init; } = 8;

    /// <summary>Largest jump t2 − t1 sampled during training (t2 − t1 is uniform in [1, MaxJump]).</summary>
    public int MaxJump { get; init; } = 4;

    /// <summary>Number of (t1, t2) pairs drawn per sequence per step (the LSTM pass is shared by all of them).</summary>
    public int PairsPerSequence { get; init; } = 4;

    /// <summary>
    /// The belief, smoothing and transition heads are the paper's gated "D" layers (tanh ⊙ sigmoid, Gregor et al. 2019,
    /// appendix) instead of two-layer ReLU MLPs. Default true: with the plain transition below, the state learns the sprite's
    /// velocity (bench/quality/zoo2b-evidence.md, "tdvae2").
    /// </summary>
    public bool Gated { get; init; } = true;

    /// <summary>
    /// The transition mean is z_t1 + f(z_t1, δ) (residual) instead of f(z_t1, δ) (the paper's D layer, default false).
    /// The residual form starts at "no change", a local optimum in which the state never picks up the velocity.
    /// </summary>
    public bool ResidualTransition { get; init; }

    /// <summary>Checks every option; ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        if (Hidden < 1) throw new ArgumentException($"td-vae: hidden {Hidden} must be >= 1", nameof(Hidden));
        if (BeliefSize < 1) throw new ArgumentException($"td-vae: belief {BeliefSize} must be >= 1", nameof(BeliefSize));
        if (StateSize < 1) throw new ArgumentException($"td-vae: state {StateSize} must be >= 1", nameof(StateSize));
        if (MaxJump < 1) throw new ArgumentException($"td-vae: max_jump {MaxJump} must be >= 1", nameof(MaxJump));
        if (PairsPerSequence < 1) throw new ArgumentException($"td-vae: pairs {PairsPerSequence} must be >= 1", nameof(PairsPerSequence));
    }

    /// <summary>Options from "key=value" settings over the defaults. Keys: hidden, belief, state (z), max_jump, pairs, gated, residual (true/false).</summary>
    public static TdVaeOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new TdVaeOptions();
        foreach (var (key, value) in settings)
        {
            o = key.ToLowerInvariant() switch
            {
                "hidden" => o with { Hidden = Int(value, nameof(Hidden)) },
                "belief" or "belief_size" => o with { BeliefSize = Int(value, nameof(BeliefSize)) },
                "state" or "z" or "state_size" => o with { StateSize = Int(value, nameof(StateSize)) },
                "max_jump" or "jump" => o with { MaxJump = Int(value, nameof(MaxJump)) },
                "pairs" => o with { PairsPerSequence = Int(value, nameof(PairsPerSequence)) },
                "gated" => o with { Gated = Bool(value, nameof(Gated)) },
                "residual" => o with { ResidualTransition = Bool(value, nameof(ResidualTransition)) },
                _ => throw new ArgumentException($"td-vae: unknown option '{key}' (expected hidden, belief, state, max_jump, pairs, gated, residual)", nameof(settings)),
            };
        }
        o.Validate();
        return o;
    }

    private static int Int(string value, string option) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v : throw new ArgumentException($"td-vae: {option} '{value}' is not an integer", option);

    private static bool Bool(string value, string option) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new ArgumentException($"td-vae: {option} '{value}' is not true or false", option),
    };

    /// <inheritdoc />
    public override string ToText() =>
        string.Create(CultureInfo.InvariantCulture, $"hidden={Hidden} belief={BeliefSize} state={StateSize} max_jump={MaxJump} pairs={PairsPerSequence} gated={(Gated ? "true" : "false")} residual={(ResidualTransition ? "true" : "false")}");
}
