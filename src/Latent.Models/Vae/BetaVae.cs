using Latent.Core;

namespace Latent.Models.Vae;

/// <summary>
/// The β-VAE: a <see cref="Vae"/> whose KL term is weighted to favour disentangled codes. Only the regulariser differs.
/// <para>Fixed β (Higgins et al. 2017, "β-VAE: Learning basic visual concepts with a constrained variational
/// framework", ICLR, Eq. 4): L = −log p(x|z) + β·w·KL(q(z|x) ‖ N(0, I)), β &gt; 1.</para>
/// <para>Capacity annealing (Burgess et al. 2018, "Understanding disentangling in β-VAE", Eq. 8):
/// L = −log p(x|z) + γ·w·|KL(q(z|x) ‖ N(0, I)) − C|, with C = C_max · progress rising linearly from 0 to C_max over
/// training (<see cref="TrainingContext.Progress"/>), so the code is allowed to carry more information gradually.
/// The extra term "capacity" reports C.</para>
/// w is the warm-up weight (1 without warm-up).
/// </summary>
public sealed class BetaVae : Vae
{
    /// <summary>The registry entry ("beta-vae").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<BetaVaeOptions>("beta-vae",
        "Higgins et al. 2017, beta-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework, ICLR; Burgess et al. 2018, Understanding disentangling in beta-VAE",
        "VAE with KL weight beta > 1, or capacity-annealed gamma*|KL - C| (objective=capacity)",
        (options, shape, rng) => new BetaVae(options, shape, rng));

    private readonly BetaVaeOptions _options;

    /// <summary>Builds the networks as <see cref="Vae"/> does.</summary>
    public BetaVae(BetaVaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        _options = options;
    }

    /// <summary>The capacity C in nats at training progress <paramref name="progress"/> ∈ [0, 1]: C_max · progress.</summary>
    public float Capacity(double progress) => (float)(_options.CapacityMax * Math.Clamp(progress, 0.0, 1.0));

    /// <inheritdoc />
    protected override Tensor Regularisation(Tensor kl, TrainingContext ctx) => _options.Objective switch
    {
        BetaVaeObjective.Capacity => (kl - Capacity(ctx.Progress)).Abs() * (_options.Gamma * ctx.RegularisationWeight),
        _ => base.Regularisation(kl, ctx),
    };

    /// <inheritdoc />
    protected override LossTerms AddTerms(LossTerms terms, TrainingContext ctx) =>
        _options.Objective == BetaVaeObjective.Capacity ? terms.With("capacity", Tensor.Scalar(Capacity(ctx.Progress))) : terms;
}
