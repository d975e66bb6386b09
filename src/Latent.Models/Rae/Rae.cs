using Latent.Core;
using Latent.Core.Autograd;
using Latent.Data;
using Latent.Models.Autoencoder;
using Latent.Models.Sampling;
using Latent.Models.Training;

namespace Latent.Models.Rae;

/// <summary>
/// The regularised autoencoder (Ghosh, Sajjadi, Vergari, Black &amp; Schölkopf 2020, "From Variational to
/// Deterministic Autoencoders", ICLR, Eq. 11): a deterministic encoder z = E(x) and decoder D trained on
/// L = (1/B) Σ_b [−log p(x_b|D(z_b)) + β·½‖z_b‖²] + λ·R, with R = ‖θ_D‖² over the decoder's weight matrices
/// (RAE-L2) or R = (1/B) Σ_b ‖∇_z D(z_b)‖²_F (RAE-GP), the Jacobian norm estimated as ‖vᵀ∂D/∂z‖² with one probe
/// v ~ N(0, I) per sample (Hutchinson 1989: E_v ‖vᵀJ‖² = ‖J‖²_F). Sampling uses an ex-post density over the training
/// codes (§4): a K-component diagonal Gaussian mixture fitted by EM (<see cref="GaussianMixture"/>) in
/// <see cref="FitPrior"/>, kept in buffers (density_weights, density_means, density_variances) so it is saved with the
/// weights. Terms: total, reconstruction, regularisation, extras "code_penalty" (½‖z‖², batch mean) and "decoder_penalty" (R).
/// </summary>
public sealed class Rae : NetworkAutoencoder, IGenerativeModel, IPriorModel
{
    /// <summary>The registry entry ("rae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<RaeOptions>("rae",
        "Ghosh, Sajjadi, Vergari, Black & Schoelkopf 2020, From Variational to Deterministic Autoencoders, ICLR",
        "regularised deterministic autoencoder: code penalty + decoder L2 or gradient penalty; samples from an ex-post Gaussian mixture (--prior-epochs)",
        (options, shape, rng) => new Rae(options, shape, rng));

    private readonly RaeOptions _options;
    private readonly Tensor _weights;   // π [K]
    private readonly Tensor _means;     // [K, Z]
    private readonly Tensor _variances; // [K, Z]; all zero until fitted

    /// <summary>Builds the encoder (→ Z) and decoder (Z →) for samples of <paramref name="inputShape"/>.</summary>
    public Rae(RaeOptions options, int[] inputShape, Rng rng) : base(options, ModelOptions.Checked(options).NetworkOptions(), inputShape, rng)
    {
        _options = options;
        _weights = AddBuffer("density_weights", Tensor.Zeros(options.Components));
        _means = AddBuffer("density_means", Tensor.Zeros(options.Components, CodeSize));
        _variances = AddBuffer("density_variances", Tensor.Zeros(options.Components, CodeSize));
    }

    /// <summary>True once the ex-post mixture has been fitted (or loaded).</summary>
    public bool PriorTrained => _variances.Span[0] > 0;

    /// <summary>The ex-post mixture over the codes; InvalidOperationException before <see cref="FitPrior"/>.</summary>
    public GaussianMixture Density => PriorTrained
        ? GaussianMixture.Diagonal(
            _weights.ToArray().Select(v => (double)v).ToArray(),
            _means.ToArray().Select(v => (double)v).Chunk(CodeSize).ToArray(),
            _variances.ToArray().Select(v => (double)v).Chunk(CodeSize).ToArray())
        : throw new InvalidOperationException("rae: the ex-post density is not fitted; call FitPrior (latent train --prior-epochs N) before sampling");

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var z = Encoder.Forward(x);
        var output = Decoder.Forward(z);
        var reconstruction = Reconstruction(output, x);
        var codePenalty = z.Square().Sum(1).Mean() * 0.5f;
        var decoderPenalty = _options.Regulariser switch
        {
            RaeRegulariser.L2 => Decoder.NamedParameters().Where(p => p.Name.EndsWith("weight", StringComparison.Ordinal))
                .Select(p => p.Tensor.Square().Sum()).Aggregate((a, b) => a + b),
            RaeRegulariser.Gp => GradientPenalty(z, output, ctx.Rng),
            _ => Tensor.Scalar(0f),
        };
        var regularisation = codePenalty * _options.CodeWeight + decoderPenalty * _options.DecoderWeight;
        return new LossTerms(reconstruction + regularisation, reconstruction, regularisation)
            .With("code_penalty", codePenalty)
            .With("decoder_penalty", decoderPenalty);
    }

    /// <summary>Decodes draws from the ex-post mixture: [count, ...InputShape] in data space.</summary>
    /// <exception cref="InvalidOperationException">The density has not been fitted.</exception>
    public Tensor Sample(int count, Rng rng)
    {
        if (count <= 0) throw new ArgumentException($"rae.Sample: count {count} must be positive", nameof(count));
        ArgumentNullException.ThrowIfNull(rng);
        var z = Density.Sample(count, rng);
        using (Tensor.NoGrad()) return Decode(z);
    }

    /// <summary>
    /// Fits the ex-post mixture (<see cref="GaussianMixture.Fit"/>, diagonal, K = components, at most em_iterations EM steps) on the codes of <paramref name="train"/>
    /// (at most 10,000 samples, the first ones) in evaluation mode; <paramref name="options"/> gives the seed.
    /// </summary>
    public void FitPrior(Dataset train, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        int n = Math.Min(train.Count, 10_000);
        if (n < _options.Components)
            throw new ArgumentException($"rae.FitPrior: {n} training samples for {_options.Components} components", nameof(train));
        cancellationToken.ThrowIfCancellationRequested();
        var codes = CodeSampler.EncodeAll(this, n < train.Count ? train.Subset(Enumerable.Range(0, n).ToArray()) : train);
        var mixture = GaussianMixture.Fit(codes, _options.Components, CovarianceKind.Diagonal, options.Seed, _options.EmIterations);
        for (int k = 0; k < mixture.Components; k++)
        {
            _weights.Span[k] = (float)mixture.Weights[k];
            for (int j = 0; j < CodeSize; j++)
            {
                _means.Span[k * CodeSize + j] = (float)mixture.Means[k][j];
                _variances.Span[k * CodeSize + j] = (float)mixture.Covariances[k][j];
            }
        }
    }

    // (1/B) Σ_b ‖v_bᵀ ∂D(z_b)/∂z_b‖², v_b ~ N(0, I): Hutchinson's estimate of the decoder's squared Jacobian norm,
    // differentiable in the parameters (the gradient is taken with its graph).
    private static Tensor GradientPenalty(Tensor z, Tensor output, Rng rng)
    {
        var probe = rng.Normal(output.Shape);
        var vjp = Gradients.Grad(output, [z], probe, createGraph: true)[0];
        return vjp.Square().Sum(1).Mean();
    }
}
