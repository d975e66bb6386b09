using Latent.Models.Options;

namespace Latent.Models.TdVae;

/// <summary>
/// Options of the single-layer TD-VAE (Gregor et al. 2019, "Temporal Difference Variational Auto-Encoder", ICLR).
/// The paper fixes the structure (an LSTM belief over encoded frames; belief, smoothing and transition networks
/// giving diagonal Gaussians from gated "D" layers; pairs t1 &lt; t2 with a random jump) but not sizes for this data;
/// the sizes here are scaled for 16×16–32×32 moving sprites. <see cref="MaxJump"/> bounds t2 − t1 as in the paper's jumpy training.
/// </summary>
public sealed record TdVaeOptions : ModelOptions
{
    /// <summary>hidden, belief, state (the code size for <c>--code</c>), max_jump, pairs, gated, residual.</summary>
    public static readonly OptionSchema<TdVaeOptions> Schema = new OptionSchema<TdVaeOptions>("td-vae")
        .Int(o => o.Hidden, "hidden", "[1, inf)", "width of the frame encoder and of every MLP head")
        .Int(o => o.BeliefSize, "belief", "[1, inf)", "size of the belief state b_t (the LSTM state)", aliases: ["belief_size"])
        .Int(o => o.StateSize, "state", "[1, inf)", "size of the latent state z_t", OptionRole.CodeSize, aliases: ["z", "state_size"])
        .Int(o => o.MaxJump, "max_jump", "[1, inf)", "largest t2 − t1 in training (and largest single jump of a rollout)", aliases: ["jump"])
        .Int(o => o.PairsPerSequence, "pairs", "[1, inf)", "(t1, t2) pairs drawn per sequence per step")
        .Bool(o => o.Gated, "gated", "the heads are the paper's gated D layers (false: two-layer ReLU MLPs)")
        .Bool(o => o.ResidualTransition, "residual", "transition mean z_t1 + D(·) instead of the paper's D(·)");

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
    /// velocity (docs/RESULTS.md §6).
    /// </summary>
    public bool Gated { get; init; } = true;

    /// <summary>
    /// The transition mean is z_t1 + f(z_t1, δ) (residual) instead of f(z_t1, δ) (the paper's D layer, default false).
    /// The residual form starts at "no change", a local optimum in which the state never picks up the velocity.
    /// </summary>
    public bool ResidualTransition { get; init; }

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;
}
