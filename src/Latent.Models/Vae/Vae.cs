using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using Latent.NN;

namespace Latent.Models.Vae;

/// <summary>
/// The variational autoencoder (Kingma &amp; Welling 2014, "Auto-Encoding Variational Bayes", ICLR).
/// <para>
/// Encoder q_φ(z|x) = N(μ(x), diag σ²(x)): the encoder network outputs 2Z numbers, split into μ and log σ², [B, Z] each.
/// Reparameterisation (§2.4): z = μ + σ ⊙ ε, σ = exp(½ log σ²), ε ~ N(0, I), so the sample is a differentiable
/// function of φ. Decoder p_θ(x|z): Bernoulli with logits g(z), or Gaussian with mean g(z) and unit variance.
/// </para>
/// <para>
/// Objective, the negative ELBO (Eq. 10 with the closed-form KL of appendix B), averaged over the batch:
/// L(x) = (1/B) Σ_b [ −log p_θ(x_b|z_b) + β·w·KL(q_φ(z|x_b) ‖ N(0, I)) ],
/// KL = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²); −log p(x|z) = Σ_i BCE(logit_i, x_i) (Bernoulli) or
/// ½‖x − g(z)‖² + (D/2) log 2π (Gaussian). β = 1 is the ELBO; β &gt; 1 is the β-VAE (<see cref="BetaVae"/>);
/// w is <see cref="TrainingContext.RegularisationWeight"/> (KL warm-up, Bowman et al. 2016).
/// </para>
/// Terms: total, reconstruction (−log p(x|z)), regularisation (β·w·KL), extras "kl" (unweighted) and "neg_elbo"
/// (reconstruction + KL, the negative ELBO whatever β is). <see cref="Encode"/> returns μ.
/// </summary>
public class Vae : AutoencoderModel, IGenerativeModel, ILikelihoodModel
{
    /// <summary>The registry entry ("vae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<VaeOptions>("vae",
        "Kingma & Welling 2014, Auto-Encoding Variational Bayes, ICLR",
        "variational autoencoder: Gaussian encoder (mu, log var), reparameterised sample, Bernoulli/Gaussian decoder, ELBO",
        (options, shape, rng) => new Vae(options, shape, rng));

    private readonly VaeOptions _options;

    /// <summary>Builds encoder (→ 2Z) and decoder (Z →) through <see cref="AutoencoderNetworks"/> for samples of
    /// <paramref name="inputShape"/>, initialised from <paramref name="rng"/>.</summary>
    public Vae(VaeOptions options, int[] inputShape, Rng rng) : base(inputShape)
    {
        _options = ModelOptions.Checked(options);
        ArgumentNullException.ThrowIfNull(rng);
        LatentSize = options.LatentSize;
        // Two builds of the same family: one whose code is [μ, log σ²] (2Z), one whose decoder reads z (Z).
        Encoder = Add("encoder", AutoencoderNetworks.Build(options.NetworkOptions(2 * LatentSize), inputShape, rng).Encoder);
        Decoder = Add("decoder", AutoencoderNetworks.Build(options.NetworkOptions(LatentSize), inputShape, rng).Decoder);
    }

    /// <inheritdoc />
    public override int CodeSize => LatentSize;

    /// <summary>Z, the latent size.</summary>
    public int LatentSize { get; }

    /// <inheritdoc />
    public override ModelOptions Options => _options;

    /// <summary>The options as the VAE family's record.</summary>
    public VaeOptions VaeOptions => _options;

    /// <summary>x [B, ...InputShape] → [μ, log σ²] concatenated, [B, 2Z].</summary>
    public Layer Encoder { get; }

    /// <summary>z [B, Z] → logits (Bernoulli) or means (Gaussian), [B, ...InputShape].</summary>
    public Layer Decoder { get; }

    /// <summary>q(z|x): μ and log σ², [B, Z] each, for x [B, ...InputShape].</summary>
    public DiagonalGaussian Posterior(Tensor x)
    {
        CheckInput(x, nameof(Posterior));
        return DiagonalGaussian.FromConcatenated(Encoder.Forward(x));
    }

    /// <summary>The prior p(z) = N(0, I) for <paramref name="count"/> samples, [count, Z].</summary>
    public DiagonalGaussian Prior(int count) => DiagonalGaussian.Standard(count, LatentSize);

    /// <summary>p(x|z) for the decoder's pre-output [B, ...InputShape]: Bernoulli on logits, or N(g(z), I).</summary>
    public IReconstructionLikelihood Likelihood(Tensor output) => _options.Output == OutputDistribution.Bernoulli
        ? new Bernoulli(output)
        : new GaussianLikelihood(output);

    /// <inheritdoc />
    /// <remarks>Returns the posterior mean μ [B, Z].</remarks>
    public override Tensor Encode(Tensor x)
    {
        CheckInput(x, nameof(Encode));
        return Posterior(x).Mean;
    }

    /// <inheritdoc />
    public override Tensor Decode(Tensor z)
    {
        CheckCode(z, nameof(Decode));
        return Likelihood(Decoder.Forward(z)).Mean;
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        var (q, _, reconstruction) = SampleReconstruction(x, ctx);
        var kl = q.Kl(Prior(x.Shape[0])).Mean();
        var regularisation = Regularisation(kl, ctx);
        var terms = Objective(reconstruction, regularisation)
            .With("kl", kl)
            .With("neg_elbo", reconstruction + kl);
        return AddTerms(terms, ctx);
    }

    /// <summary>
    /// The start of every one-sample objective of this family: checks x [B, ...InputShape], draws z ~ q(z|x) [B, Z]
    /// reparameterised (z = μ + σ ⊙ ε, from <paramref name="ctx"/>.Rng) and returns q, z and −log p(x|z) averaged over the
    /// batch (scalar). The variants add their own regulariser of q and z (a weighted KL, an MMD, a split KL, a TC estimate).
    /// </summary>
    protected (DiagonalGaussian Posterior, Tensor Z, Tensor Reconstruction) SampleReconstruction(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var q = Posterior(x);
        var z = q.Sample(ctx.Rng); // reparameterised: z = μ + σ ⊙ ε
        return (q, z, Likelihood(Decoder.Forward(z)).NegativeLogLikelihood(x).Mean());
    }

    /// <summary>The terms of "reconstruction + regularisation" (scalars): total, reconstruction, regularisation.</summary>
    protected static LossTerms Objective(Tensor reconstruction, Tensor regularisation) =>
        new(reconstruction + regularisation, reconstruction, regularisation);

    /// <summary>The KL term as it enters the objective: β·w·KL. Variants override this (capacity annealing).</summary>
    /// <param name="kl">KL(q(z|x) ‖ N(0, I)) summed over Z and averaged over the batch (scalar).</param>
    /// <param name="ctx">Where training stands (warm-up weight w, progress).</param>
    protected virtual Tensor Regularisation(Tensor kl, TrainingContext ctx) => kl * (_options.Beta * ctx.RegularisationWeight);

    /// <summary>Lets a variant report further terms (e.g. the capacity C); the default adds none.</summary>
    protected virtual LossTerms AddTerms(LossTerms terms, TrainingContext ctx) => terms;

    /// <summary>Decodes z ~ N(0, I): [count, ...InputShape] in data space (probabilities for Bernoulli output).</summary>
    public Tensor Sample(int count, Rng rng)
    {
        if (count <= 0) throw new ArgumentException($"{Name}.Sample: count {count} must be positive", nameof(count));
        ArgumentNullException.ThrowIfNull(rng);
        using (Tensor.NoGrad())
            return Decode(SamplePrior(count, rng));
    }

    /// <summary>z ~ p(z), [count, Z]: N(0, I) here; a variant with another prior (a mixture) overrides this.</summary>
    protected virtual Tensor SamplePrior(int count, Rng rng) => Prior(count).Sample(rng);

    /// <summary>log p(z) per row of z [B, Z], [B]: the standard normal here; a variant with another prior overrides this.</summary>
    protected virtual Tensor PriorLogProb(Tensor z) => Prior(z.Shape[0]).LogProb(z);

    /// <summary>
    /// A posterior sample z ~ q(z|x) [B, Z] with its log-density log q(z|x) [B]: the Gaussian q itself here
    /// (z = μ + σ ⊙ ε); a variant that transforms the sample (a normalising flow) returns z_K and
    /// log q₀(z₀) − Σ log |det ∂f/∂z|.
    /// </summary>
    protected virtual (Tensor Z, Tensor LogQ) SamplePosterior(DiagonalGaussian q, Rng rng)
    {
        var z = q.Sample(rng);
        return (z, q.LogProb(z));
    }

    /// <summary>
    /// The importance-weighted estimate (Burda, Grosse &amp; Salakhutdinov 2016, "Importance Weighted Autoencoders",
    /// ICLR, Eq. 8) with q(z|x) as the proposal: log p(x) ≈ log (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x), z_k ~ q(z|x),
    /// computed as logsumexp_k [log p(x|z_k) + log p(z_k) − log q(z_k|x)] − log K (the log-sum-exp in double precision,
    /// <see cref="Metrics.Likelihood.NegativeLogMeanExp"/>). It is a
    /// stochastic lower bound on log p(x) that tightens as K grows; K = 1 gives the single-sample ELBO.
    /// Returns −log p(x) averaged over the batch x [B, ...InputShape], in nats.
    /// </summary>
    public double ImportanceSampledNll(Tensor x, int k, Rng rng)
    {
        CheckInput(x, nameof(ImportanceSampledNll));
        if (k <= 0) throw new ArgumentException($"{Name}.ImportanceSampledNll: k {k} must be positive", nameof(k));
        ArgumentNullException.ThrowIfNull(rng);
        int batch = x.Shape[0];
        if (batch == 0) return 0;
        var logW = new double[batch * k];
        using (Evaluating())
        {
            using (Tensor.NoGrad())
            {
                var q = Posterior(x);
                for (int j = 0; j < k; j++)
                {
                    var (z, logQ) = SamplePosterior(q, rng);
                    // log w = log p(x|z) + [log p(z) − log q(z|x)], the two parts added in double.
                    var nll = Likelihood(Decoder.Forward(z)).NegativeLogLikelihood(x).Span;
                    var ratio = (PriorLogProb(z) - logQ).Span;
                    for (int b = 0; b < batch; b++) logW[b * k + j] = -nll[b] + (double)ratio[b];
                }
            }
        }
        return Metrics.Likelihood.NegativeLogMeanExp(logW, k);
    }
}
