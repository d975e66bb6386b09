using Latent.Models.Options;

namespace Latent.Models.Vae;

/// <summary>
/// Options of the β-VAE: a <see cref="VaeOptions"/> that differs only in the KL weighting. Defaults: β = 4, the
/// value Higgins et al. 2017 ("β-VAE: Learning basic visual concepts with a constrained variational framework",
/// ICLR) use for dSprites; for the capacity objective, γ = 1000 and C_max = 25 nats, as in Burgess et al. 2018
/// ("Understanding disentangling in β-VAE", §5: C raised linearly from 0 to 25 nats over training, γ = 1000).
/// </summary>
public sealed record BetaVaeOptions : VaeOptions
{
    /// <summary>The keys of <see cref="VaeOptions.Schema"/>, objective, gamma and capacity.</summary>
    public static new readonly OptionSchema<BetaVaeOptions> Schema = new OptionSchema<BetaVaeOptions>("beta-vae")
        .Include(VaeOptions.Schema)
        .Choice(o => o.Objective, "objective", "beta: β·KL (Higgins 2017); capacity: γ·abs(KL − C) with C raised from 0 to C_max (Burgess 2018)",
            ("annealed", BetaVaeObjective.Capacity))
        .Real(o => o.Gamma, "gamma", "[0, inf)", "γ, the weight of abs(KL − C) in the capacity objective (Burgess 2018, §5)")
        .Real(o => o.CapacityMax, "capacity", "[0, inf)", "C_max in nats, the capacity reached at the end of training", aliases: ["c_max"]);

    /// <summary>The β-VAE defaults: β = 4, fixed-β objective.</summary>
    public BetaVaeOptions()
    {
        Beta = 4f;
    }

    /// <summary>Fixed β (Higgins 2017) or annealed capacity (Burgess 2018).</summary>
    public BetaVaeObjective Objective { get; init; } = BetaVaeObjective.Beta;

    /// <summary>γ, the weight of |KL − C| in the capacity objective.</summary>
    public float Gamma { get; init; } = 1000f;

    /// <summary>C_max in nats: the capacity reached at the end of training (C = C_max · progress).</summary>
    public float CapacityMax { get; init; } = 25f;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;
}
