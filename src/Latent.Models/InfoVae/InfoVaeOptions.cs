using Latent.Models.Options;
using Latent.Models.Vae;
using Latent.Models.Wae;

namespace Latent.Models.InfoVae;

/// <summary>
/// Options of InfoVAE (Zhao, Song &amp; Ermon 2019, "InfoVAE: Balancing Learning and Inference in Variational
/// Autoencoders", AAAI): the network keys of <see cref="VaeOptions"/>, α = 1 (the MMD-VAE: the per-sample KL switched
/// off, only the MMD between the aggregate posterior and the prior) and the RBF kernel the paper uses. With α = 0 the
/// objective is the ELBO plus a positive MMD penalty, which cannot reconstruct better than the VAE. λ = 100 was chosen on
/// binarised Fashion-MNIST (MLP 784-200-20, 6 epochs, a tuning seed) from 10, 30, 100 and 1000 as the smallest λ whose
/// held-out codes are as close to N(0, I) as the VAE's (MMD²); λ ≤ 30 leaves them far from it, λ = 1000 slows
/// reconstruction down (docs/models/info-vae.md).
/// </summary>
public sealed record InfoVaeOptions : VaeOptions
{
    /// <summary>The network keys of <see cref="VaeOptions.Schema"/>, alpha, lambda and kernel.</summary>
    public static new readonly OptionSchema<InfoVaeOptions> Schema = new OptionSchema<InfoVaeOptions>("info-vae")
        .Include(VaeOptions.Schema, "arch", "hidden", "output", "network")
        .Real(o => o.Alpha, "alpha", "(-inf, 1]", "α: the KL weighs 1 − α (Zhao 2019, Eq. 6); 1 is the MMD-VAE, 0 the ELBO plus the MMD term")
        .Real(o => o.Lambda, "lambda", "[0, inf)", "λ: the MMD weighs α + λ − 1 (Zhao 2019, Eq. 6)")
        .Choice(o => o.Kernel, "kernel", "rbf: exp(−d²/(2h²)) with 2h² = 2Z (Zhao 2019); imq: C/(C+d²) with C = 2Z");

    /// <summary>α: the per-sample KL weighs 1 − α.</summary>
    public float Alpha { get; init; } = 1f;

    /// <summary>λ: the MMD weighs α + λ − 1.</summary>
    public float Lambda { get; init; } = 100f;

    /// <summary>The MMD kernel.</summary>
    public MmdKernelChoice Kernel { get; init; } = MmdKernelChoice.Rbf;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

}
