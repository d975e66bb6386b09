using Latent.Core;
using Latent.Models.Distributions;
using VaeModel = Latent.Models.Vae.Vae;

namespace Latent.Models.BetaTcVae;

/// <summary>
/// The β-TC-VAE (Chen, Li, Grosse &amp; Duvenaud 2018, "Isolating Sources of Disentanglement in Variational
/// Autoencoders", NeurIPS): the <see cref="VaeModel"/> with its KL split into three parts (Eq. 2) and weighted apart:
/// E_x KL(q(z|x) ‖ p(z)) = I(x; z) + KL(q(z) ‖ Π_j q(z_j)) + Σ_j KL(q(z_j) ‖ p(z_j)), i.e. per sample
/// [log q(z|x) − log q(z)] + [log q(z) − Σ_j log q(z_j)] + [Σ_j log q(z_j) − log p(z)], so the three sum to the
/// one-sample KL log q(z|x) − log p(z). L = −log p(x|z) + α·MI + β·TC + γ·DWKL.
/// The aggregate log-densities use minibatch-weighted sampling (§4, Eq. S6) over the batch of M codes z_i:
/// log q(z_i) ≈ logsumexp_j log q(z_i|x_j) − log(N·M), log q(z_ij) ≈ logsumexp_k log q(z_ij|x_k) − log(N·M).
/// Terms: total, reconstruction, regularisation, extras "mi", "tc", "dwkl", "kl" (closed form) and "neg_elbo".
/// </summary>
public sealed class BetaTcVae : VaeModel
{
    private static readonly float Log2Pi = MathF.Log(2f * MathF.PI);

    /// <summary>The registry entry ("beta-tc-vae").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<BetaTcVaeOptions>("beta-tc-vae",
        "Chen, Li, Grosse & Duvenaud 2018, Isolating Sources of Disentanglement in Variational Autoencoders, NeurIPS",
        "VAE with the KL split into mutual information, total correlation (weight beta) and dimension-wise KL; minibatch-weighted sampling",
        (options, shape, rng) => new BetaTcVae(options, shape, rng));

    private readonly BetaTcVaeOptions _options;

    /// <summary>Builds the networks as the VAE does.</summary>
    public BetaTcVae(BetaTcVaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        _options = options;
    }

    /// <summary>
    /// The three parts of the one-sample KL at codes z [M, Z] drawn from q (one row per row of the batch), each
    /// averaged over the batch (scalars): mutual information, total correlation and dimension-wise KL; their sum is
    /// mean_i [log q(z_i|x_i) − log p(z_i)].
    /// </summary>
    public (Tensor MutualInformation, Tensor TotalCorrelation, Tensor DimensionwiseKl) Decompose(DiagonalGaussian q, Tensor z)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(z);
        int m = z.Shape[0], zs = z.Shape[1];
        var logQzx = q.LogProb(z);                                  // log q(z_i|x_i) [M]
        var logPz = PriorLogProb(z);                                // log p(z_i) [M]
        // log q(z_ij | x_k) for every pair (i, k): [M, M, Z].
        var zi = z.Reshape(m, 1, zs);
        var mu = q.Mean.Reshape(1, m, zs);
        var lv = q.LogVariance.Reshape(1, m, zs);
        var pair = -0.5f * (lv + (zi - mu).Square() * (-lv).Exp() + Log2Pi);
        float logNm = MathF.Log((float)_options.DatasetSize * m);
        var logQz = pair.Sum(2).LogSumExp(1) - logNm;               // log q(z_i) [M]
        var logQzProduct = (pair.LogSumExp(1) - logNm).Sum(1);      // Σ_j log q(z_ij) [M]
        return ((logQzx - logQz).Mean(), (logQz - logQzProduct).Mean(), (logQzProduct - logPz).Mean());
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        var (q, z, reconstruction) = SampleReconstruction(x, ctx);
        var (mi, tc, dwkl) = Decompose(q, z);
        var regularisation = (mi * _options.Alpha + tc * _options.TcBeta + dwkl * _options.Gamma) * ctx.RegularisationWeight;
        var kl = q.Kl(Prior(x.Shape[0])).Mean();
        return Objective(reconstruction, regularisation)
            .With("mi", mi)
            .With("tc", tc)
            .With("dwkl", dwkl)
            .With("kl", kl)
            .With("neg_elbo", reconstruction + kl);
    }
}
