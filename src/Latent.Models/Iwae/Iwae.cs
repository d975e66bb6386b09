using Latent.Core;
using VaeModel = Latent.Models.Vae.Vae;

namespace Latent.Models.Iwae;

/// <summary>
/// The importance-weighted autoencoder (Burda, Grosse &amp; Salakhutdinov 2016, "Importance Weighted Autoencoders",
/// ICLR): the <see cref="VaeModel"/>'s networks trained on the K-sample bound (Eq. 8) instead of the ELBO:
/// L(x) = −(1/B) Σ_b log (1/K) Σ_k w_k,  w_k = p(x_b|z_k) p(z_k) / q(z_k|x_b),  z_k ~ q(z|x_b) reparameterised,
/// computed as −[logsumexp_k log w_k − log K]. K = 1 is the VAE's ELBO with a one-sample KL estimate; the bound
/// tightens as K grows (Theorem 1). Terms: total (the negative K-sample bound), reconstruction (−log p(x|z)
/// averaged over the K samples), regularisation (total − reconstruction), extras "kl" (closed form) and "neg_elbo".
/// </summary>
public sealed class Iwae : VaeModel
{
    /// <summary>The registry entry ("iwae").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<IwaeOptions>("iwae",
        "Burda, Grosse & Salakhutdinov 2016, Importance Weighted Autoencoders, ICLR",
        "VAE trained on the K-sample importance-weighted bound (samples=K)",
        (options, shape, rng) => new Iwae(options, shape, rng));

    /// <summary>Builds the networks as the VAE does.</summary>
    public Iwae(IwaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        Samples = options.Samples;
    }

    /// <summary>K, the importance samples per input.</summary>
    public int Samples { get; }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        int batch = x.Shape[0];
        var q = Posterior(x);
        var logW = new Tensor[Samples];
        Tensor? reconstruction = null;
        for (int k = 0; k < Samples; k++)
        {
            var (z, logQ) = SamplePosterior(q, ctx.Rng); // z = μ + σ ⊙ ε
            var nll = Likelihood(Decoder.Forward(z)).NegativeLogLikelihood(x); // [B]
            logW[k] = (PriorLogProb(z) - logQ - nll).Reshape(batch, 1);
            reconstruction = reconstruction is null ? nll : reconstruction + nll;
        }
        // log (1/K) Σ_k w_k, stably in log space: [B].
        var bound = Tensor.Concat(logW, axis: 1).LogSumExp(1) - MathF.Log(Samples);
        var total = -bound.Mean();
        var rec = reconstruction!.Mean() * (1f / Samples);
        var kl = q.Kl(Prior(batch)).Mean();
        return new LossTerms(total, rec, total - rec)
            .With("kl", kl)
            .With("neg_elbo", rec + kl);
    }
}
