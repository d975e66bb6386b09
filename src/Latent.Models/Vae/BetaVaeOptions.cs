namespace Latent.Models.Vae;

/// <summary>
/// Options of the β-VAE: a <see cref="VaeOptions"/> that differs only in the KL weighting. Defaults: β = 4, the
/// value Higgins et al. 2017 ("β-VAE: Learning basic visual concepts with a constrained variational framework",
/// ICLR) use for dSprites; for the capacity objective, γ = 1000 and C_max = 25 nats, as in Burgess et al. 2018
/// ("Understanding disentangling in β-VAE", §5: C raised linearly from 0 to 25 nats over training, γ = 1000).
/// </summary>
public sealed record BetaVaeOptions : VaeOptions
{
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
    public override void Validate()
    {
        base.Validate();
        if (!Enum.IsDefined(Objective))
            throw new ArgumentException($"beta-vae: objective {(int)Objective} is not beta or capacity", nameof(Objective));
        if (!(Gamma >= 0f) || float.IsInfinity(Gamma))
            throw new ArgumentException($"beta-vae: gamma {Gamma} must be finite and >= 0", nameof(Gamma));
        if (!(CapacityMax >= 0f) || float.IsInfinity(CapacityMax))
            throw new ArgumentException($"beta-vae: capacity {CapacityMax} must be finite and >= 0", nameof(CapacityMax));
    }

    /// <summary>Options from "key=value" settings over the defaults. Keys: those of <see cref="VaeOptions.Parse"/>,
    /// objective (beta|capacity), gamma, capacity (C_max in nats).</summary>
    public static new BetaVaeOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new BetaVaeOptions();
        foreach (var (key, value) in settings)
        {
            o = Apply(o, key, value) ?? key.ToLowerInvariant() switch
            {
                "objective" => o with { Objective = ParseObjective(value) },
                "gamma" => o with { Gamma = ParseFloat(value, nameof(Gamma)) },
                "capacity" or "c_max" => o with { CapacityMax = ParseFloat(value, nameof(CapacityMax)) },
                _ => throw new ArgumentException($"beta-vae: unknown option '{key}' (expected {CommonKeys}, objective, gamma, capacity)", nameof(settings)),
            };
        }
        o.Validate();
        return o;
    }

    private static BetaVaeObjective ParseObjective(string value) => value.ToLowerInvariant() switch
    {
        "beta" => BetaVaeObjective.Beta,
        "capacity" or "annealed" => BetaVaeObjective.Capacity,
        _ => throw new ArgumentException($"beta-vae: objective '{value}' is not beta or capacity", nameof(Objective)),
    };

    /// <inheritdoc />
    public override string ToText() =>
        $"{base.ToText()} objective={Objective.ToString().ToLowerInvariant()} gamma={Format(Gamma)} capacity={Format(CapacityMax)}";
}
