using Latent.Core;
using VaeModel = Latent.Models.Vae.Vae;

namespace Latent.Models.Wae;

/// <summary>
/// The Wasserstein autoencoder with the MMD penalty (Tolstikhin, Bousquet, Gelly &amp; Schölkopf 2018, "Wasserstein
/// Auto-Encoders", ICLR, Algorithm 2): the <see cref="VaeModel"/>'s networks with the per-sample KL replaced by a
/// divergence between the aggregate posterior q(z) and the prior p(z) = N(0, I):
/// L = (1/B) Σ_b c(x_b, g(z_b)) + λ · MMD²_k({z_b}, {z̃_b}),  z_b ~ q(z|x_b) (a random encoder), z̃_b ~ N(0, I),
/// with the unbiased MMD estimate and kernel k (IMQ by default). The cost c is the decoder's −log p(x|z)
/// (cross-entropy for Bernoulli output, squared error for Gaussian). Terms: total, reconstruction, regularisation
/// (λ·MMD²), extras "mmd" (MMD²) and "kl" (the closed-form KL, reported, not trained on).
/// </summary>
public sealed class Wae : VaeModel
{
    /// <summary>The registry entry ("wae-mmd").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<WaeOptions>("wae-mmd",
        "Tolstikhin, Bousquet, Gelly & Schoelkopf 2018, Wasserstein Auto-Encoders, ICLR",
        "Wasserstein autoencoder: reconstruction + lambda * MMD(aggregate posterior, N(0, I)), IMQ or RBF kernel",
        (options, shape, rng) => new Wae(options, shape, rng));

    private readonly WaeOptions _options;

    /// <summary>Builds the networks as the VAE does.</summary>
    public Wae(WaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        _options = options;
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        var (q, z, reconstruction) = SampleReconstruction(x, ctx);
        var mmd = MmdPenalty.ToStandardNormal(z, _options.Kernel, ctx.Rng);
        Tensor kl;
        using (Tensor.NoGrad()) kl = q.Kl(Prior(x.Shape[0])).Mean();
        return Objective(reconstruction, mmd * _options.Lambda)
            .With("mmd", mmd)
            .With("kl", kl);
    }
}
