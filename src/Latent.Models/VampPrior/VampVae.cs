using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using VaeModel = Latent.Models.Vae.Vae;

namespace Latent.Models.VampPrior;

/// <summary>
/// The VAE with the variational mixture of posteriors prior (Tomczak &amp; Welling 2018, "VAE with a VampPrior",
/// AISTATS, Eq. 9): p_λ(z) = (1/K) Σ_k q(z|u_k), the encoder's posteriors at K learned pseudo-inputs u_k
/// [K, ...InputShape]. Pseudo-inputs are σ(w_k) for Bernoulli output (they stay in [0, 1], like the data) and w_k for
/// Gaussian output; w ~ N(0, 0.01²) at the start. The KL has no closed form, so the objective is the one-sample
/// negative ELBO L = −log p(x|z) + log q(z|x) − log p_λ(z), z ~ q(z|x) reparameterised, with
/// log p_λ(z) = logsumexp_k log q(z|u_k) − log K. Sampling draws k uniformly and z ~ q(z|u_k).
/// Terms: total, reconstruction, regularisation (the one-sample KL), extras "kl" (the same) and "neg_elbo".
/// </summary>
public sealed class VampVae : VaeModel
{
    /// <summary>The registry entry ("vamp-vae").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<VampVaeOptions>("vamp-vae",
        "Tomczak & Welling 2018, VAE with a VampPrior, AISTATS",
        "VAE whose prior is the mixture of the encoder's posteriors at K learned pseudo-inputs",
        (options, shape, rng) => new VampVae(options, shape, rng));

    private readonly bool _squash;

    /// <summary>Builds the networks as the VAE does, then the pseudo-input parameters w [K, ...InputShape].</summary>
    public VampVae(VampVaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        _squash = options.Output == OutputDistribution.Bernoulli;
        PseudoInputWeights = AddParameter("pseudo_inputs", rng.Normal([options.PseudoInputs, .. inputShape], std: 0.01f));
    }

    /// <summary>w [K, ...InputShape], the trained parameters behind the pseudo-inputs.</summary>
    public Tensor PseudoInputWeights { get; }

    /// <summary>The pseudo-inputs u_k [K, ...InputShape]: σ(w) for Bernoulli output, w otherwise.</summary>
    public Tensor PseudoInputs => _squash ? PseudoInputWeights.Sigmoid() : PseudoInputWeights;

    /// <summary>log p_λ(z) for z [B, Z]: [B] (<see cref="PriorLogProb"/>).</summary>
    public Tensor LogPrior(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2 || z.Shape[1] != LatentSize)
            throw new ArgumentException($"vamp-vae.LogPrior: z {Core.Shapes.Format(z.Shape)} is not [B,{LatentSize}]", nameof(z));
        return PriorLogProb(z);
    }

    /// <summary>log p_λ(z) = logsumexp_k log q(z|u_k) − log K for z [B, Z]: [B].</summary>
    protected override Tensor PriorLogProb(Tensor z)
    {
        var components = DiagonalGaussian.FromConcatenated(Encoder.Forward(PseudoInputs)); // [K, Z] each
        int k = components.Mean.Shape[0], b = z.Shape[0], zs = z.Shape[1];
        var mu = components.Mean.Reshape(1, k, zs);
        var lv = components.LogVariance.Reshape(1, k, zs);
        var logDensity = -0.5f * (lv + (z.Reshape(b, 1, zs) - mu).Square() * (-lv).Exp() + MathF.Log(2f * MathF.PI));
        return logDensity.Sum(2).LogSumExp(1) - MathF.Log(k); // [B]
    }

    /// <summary>k uniform in [0, K), then z ~ q(z|u_k): [count, Z].</summary>
    protected override Tensor SamplePrior(int count, Rng rng)
    {
        var components = DiagonalGaussian.FromConcatenated(Encoder.Forward(PseudoInputs));
        int k = components.Mean.Shape[0];
        var pick = new int[count];
        for (int i = 0; i < count; i++) pick[i] = rng.NextInt(k);
        return new DiagonalGaussian(components.Mean.IndexSelect(0, pick), components.LogVariance.IndexSelect(0, pick)).Sample(rng);
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var q = Posterior(x);
        var (z, logQ) = SamplePosterior(q, ctx.Rng); // z = μ + σ ⊙ ε
        var reconstruction = Likelihood(Decoder.Forward(z)).NegativeLogLikelihood(x).Mean();
        var kl = (logQ - PriorLogProb(z)).Mean();
        var regularisation = kl * (VaeOptions.Beta * ctx.RegularisationWeight);
        return new LossTerms(reconstruction + regularisation, reconstruction, regularisation)
            .With("kl", kl)
            .With("neg_elbo", reconstruction + kl);
    }
}
