using Latent.Core;
using Latent.Models.Distributions;
using Latent.Models.Vae;
using VaeModel = Latent.Models.Vae.Vae;

namespace Latent.Models.Flows;

/// <summary>
/// A VAE whose posterior sample passes through a normalising flow (Rezende &amp; Mohamed 2015, Eq. 13–15):
/// z₀ ~ q₀(z|x) = N(μ, σ²) reparameterised, z_K = f_K ∘ … ∘ f_1(z₀),
/// log q_K(z_K|x) = log q₀(z₀|x) − Σ_k log |det ∂f_k/∂z_{k−1}|, and the one-sample negative ELBO
/// L = −log p(x|z_K) + log q_K(z_K|x) − log p(z_K). Terms: total, reconstruction, regularisation (the one-sample KL),
/// extras "kl" (the same), "logdet" (Σ log-det, batch mean) and "neg_elbo". The importance-sampled NLL uses q_K.
/// <see cref="Encode"/> returns the flow applied to μ, f_K ∘ … ∘ f_1(μ): the decoder was trained on flowed codes.
/// </summary>
public abstract class FlowVae : VaeModel
{
    /// <summary>Builds the networks as the VAE does, then registers the empty <see cref="Flow"/> that the subclass fills.</summary>
    protected FlowVae(VaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng) => Flow = Add("flow", new FlowStack());

    /// <summary>The steps f_1 … f_K, checkpoint keys "flow.k.NAME".</summary>
    public FlowStack Flow { get; }

    /// <summary>The flow: z₀ [B, Z] → z_K [B, Z] and Σ_k log |det ∂f_k/∂z_{k−1}| [B].</summary>
    public (Tensor Z, Tensor LogDet) Transform(Tensor z0) => Flow.Forward(z0);

    /// <inheritdoc />
    /// <remarks>Returns f_K ∘ … ∘ f_1(μ) [B, Z], the flow applied to the posterior mean.</remarks>
    public override Tensor Encode(Tensor x) => Transform(base.Encode(x)).Z;

    /// <inheritdoc />
    protected override (Tensor Z, Tensor LogQ) SamplePosterior(DiagonalGaussian q, Rng rng)
    {
        var z0 = q.Sample(rng); // z₀ = μ + σ ⊙ ε
        var (z, logDet) = Transform(z0);
        return (z, q.LogProb(z0) - logDet);
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var q = Posterior(x);
        var z0 = q.Sample(ctx.Rng);
        var (z, logDet) = Transform(z0);
        var reconstruction = Likelihood(Decoder.Forward(z)).NegativeLogLikelihood(x).Mean();
        var kl = (q.LogProb(z0) - logDet - PriorLogProb(z)).Mean();
        var regularisation = kl * (VaeOptions.Beta * ctx.RegularisationWeight);
        return new LossTerms(reconstruction + regularisation, reconstruction, regularisation)
            .With("kl", kl)
            .With("logdet", logDet.Mean())
            .With("neg_elbo", reconstruction + kl);
    }
}
