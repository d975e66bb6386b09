using Latent.Core;
using Latent.Models.Wae;
using VaeModel = Latent.Models.Vae.Vae;

namespace Latent.Models.InfoVae;

/// <summary>
/// InfoVAE / MMD-VAE (Zhao, Song &amp; Ermon 2019, "InfoVAE: Balancing Learning and Inference in Variational
/// Autoencoders", AAAI, Eq. 6 with D = MMD): the <see cref="VaeModel"/> with an MMD term on the aggregate posterior
/// added and the per-sample KL reweighted:
/// L = (1/B) Σ_b [−log p(x_b|z_b) + (1 − α)·KL(q(z|x_b) ‖ N(0, I))] + (α + λ − 1)·MMD²({z_b}, {z̃_b}),
/// z_b ~ q(z|x_b) reparameterised, z̃_b ~ N(0, I). Terms: total, reconstruction, regularisation, extras "kl", "mmd"
/// and "neg_elbo".
/// </summary>
public sealed class InfoVae : VaeModel
{
    /// <summary>The registry entry ("info-vae").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<InfoVaeOptions>("info-vae",
        "Zhao, Song & Ermon 2019, InfoVAE: Balancing Learning and Inference in Variational Autoencoders, AAAI",
        "InfoVAE / MMD-VAE: reconstruction + (1 - alpha) KL + (alpha + lambda - 1) MMD(aggregate posterior, N(0, I))",
        (options, shape, rng) => new InfoVae(options, shape, rng));

    private readonly InfoVaeOptions _options;

    /// <summary>Builds the networks as the VAE does.</summary>
    public InfoVae(InfoVaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        _options = options;
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        var (q, z, reconstruction) = SampleReconstruction(x, ctx);
        var kl = q.Kl(Prior(x.Shape[0])).Mean();
        var mmd = MmdPenalty.ToStandardNormal(z, _options.Kernel, ctx.Rng);
        var regularisation = kl * ((1f - _options.Alpha) * ctx.RegularisationWeight) + mmd * (_options.Alpha + _options.Lambda - 1f);
        return Objective(reconstruction, regularisation)
            .With("kl", kl)
            .With("mmd", mmd)
            .With("neg_elbo", reconstruction + kl);
    }
}
