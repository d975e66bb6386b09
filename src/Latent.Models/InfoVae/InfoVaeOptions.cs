using Latent.Models.Options;
using Latent.Models.Vae;
using Latent.Models.Wae;

namespace Latent.Models.InfoVae;

/// <summary>
/// Options of InfoVAE (Zhao, Song &amp; Ermon 2019, "InfoVAE: Balancing Learning and Inference in Variational
/// Autoencoders", AAAI): the network keys of <see cref="VaeOptions"/>, α = 0 and λ = 1000 (the MMD-VAE: the full KL
/// plus a strong MMD term on the aggregate posterior) and the RBF kernel the paper uses.
/// </summary>
public sealed record InfoVaeOptions : VaeOptions
{
    /// <summary>The network keys of <see cref="VaeOptions.Schema"/>, alpha, lambda and kernel.</summary>
    public static new readonly OptionSchema<InfoVaeOptions> Schema = new OptionSchema<InfoVaeOptions>("info-vae")
        .Include(VaeOptions.Schema, "arch", "hidden", "output", "network")
        .Real(o => o.Alpha, "alpha", "(-inf, 1]", "α: the KL weighs 1 − α (Zhao 2019, Eq. 6)")
        .Real(o => o.Lambda, "lambda", "[0, inf)", "λ: the MMD weighs α + λ − 1 (Zhao 2019, Eq. 6)")
        .Choice(o => o.Kernel, "kernel", "rbf: exp(−d²/(2h²)) with 2h² = 2Z (Zhao 2019); imq: C/(C+d²) with C = 2Z");

    /// <summary>α: the per-sample KL weighs 1 − α.</summary>
    public float Alpha { get; init; }

    /// <summary>λ: the MMD weighs α + λ − 1.</summary>
    public float Lambda { get; init; } = 1000f;

    /// <summary>The MMD kernel.</summary>
    public MmdKernelChoice Kernel { get; init; } = MmdKernelChoice.Rbf;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <summary>Options from "key=value" settings over the defaults (<see cref="Schema"/>).</summary>
    public static new InfoVaeOptions Parse(IReadOnlyDictionary<string, string> settings) => Schema.Parse(settings);
}
