using Latent.Core;
using Latent.Models.Distributions;

namespace Latent.Models.Sequence;

/// <summary>
/// The LSTM variational autoencoder (Bowman et al. 2016, "Generating Sentences from a Continuous Space", CoNLL, §3; Park,
/// Hoshi &amp; Kemp 2018, "A Multimodal Anomaly Detector for Robot-Assisted Feeding Using an LSTM-based Variational
/// Autoencoder", IEEE RA-L): the <see cref="LstmAutoencoder"/> with a Gaussian code. The encoder's last state gives
/// q(z|x) = N(μ, diag σ²), [μ, log σ²] = W h_{T−1} + b; z = μ + σ ⊙ ε, ε ~ N(0, I) (reparameterisation); the decoder
/// unrolls from z as in the autoencoder. Objective, the negative ELBO with weight β·w on the KL (w: KL warm-up,
/// Bowman et al. 2016 §3.1, through <see cref="TrainingContext.RegularisationWeight"/>):
/// <para>  L(x) = −log p(x|z) + β·w·KL(q(z|x) ‖ N(0, I)),  KL = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²),</para>
/// averaged over the batch. Terms: reconstruction, regularisation (β·w·KL), "kl", "neg_elbo". <see cref="Encode"/> returns μ.
/// </summary>
public sealed class LstmVae : LstmAutoencoder, IGenerativeModel
{
    /// <summary>The registry entry ("lstm-vae").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<LstmVaeOptions>("lstm-vae",
        "Bowman et al. 2016, Generating Sentences from a Continuous Space, CoNLL; Park, Hoshi & Kemp 2018, A Multimodal Anomaly Detector for Robot-Assisted Feeding Using an LSTM-based Variational Autoencoder, IEEE RA-L",
        "sequence VAE: LSTM/GRU encoder -> Gaussian code (mu, log var), reparameterised sample, decoder cell unrolled from it; KL to N(0,I)",
        (options, shape, rng) => new LstmVae(options, shape, rng)) with
    {
        DefaultData = "moving-sprites",
    };

    private readonly LstmVaeOptions _vaeOptions;

    /// <summary>A sequence VAE for samples <paramref name="inputShape"/> = [T, ...frame], initialised from <paramref name="rng"/>.</summary>
    public LstmVae(LstmVaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng, codeOutputs: 2)
    {
        _vaeOptions = options;
    }

    /// <summary>q(z|x): μ and log σ², [B, Z] each, for x [B, T, ...frame].</summary>
    public DiagonalGaussian Posterior(Tensor x)
    {
        CheckInput(x, nameof(Posterior));
        return DiagonalGaussian.FromConcatenated(EncoderHead(x));
    }

    /// <inheritdoc />
    /// <remarks>Returns the posterior mean μ [B, Z].</remarks>
    public override Tensor Encode(Tensor x) => Posterior(x).Mean;

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckInput(x, nameof(Loss));
        ArgumentNullException.ThrowIfNull(ctx);
        var q = Posterior(x);
        var z = q.Sample(ctx.Rng); // z = μ + σ ⊙ ε
        var reconstruction = Likelihood(DecoderOutput(z)).NegativeLogLikelihood(x).Mean();
        var kl = q.Kl(DiagonalGaussian.Standard(x.Shape[0], CodeSize)).Mean();
        var regularisation = kl * (_vaeOptions.Beta * ctx.RegularisationWeight);
        return new LossTerms(reconstruction + regularisation, reconstruction, regularisation)
            .With("kl", kl)
            .With("neg_elbo", reconstruction + kl);
    }

    /// <summary>Decodes z ~ N(0, I): [count, T, ...frame] in data space.</summary>
    public Tensor Sample(int count, Rng rng)
    {
        if (count <= 0) throw new ArgumentException($"{Name}.Sample: count {count} must be positive", nameof(count));
        ArgumentNullException.ThrowIfNull(rng);
        using (Tensor.NoGrad())
            return Decode(DiagonalGaussian.Standard(count, CodeSize).Sample(rng));
    }
}
