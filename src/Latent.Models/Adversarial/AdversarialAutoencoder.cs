using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Training;
using Latent.NN;

namespace Latent.Models.Adversarial;

/// <summary>
/// The adversarial autoencoder (Makhzani, Shlens, Jaitly, Goodfellow &amp; Frey 2015, "Adversarial Autoencoders",
/// arXiv:1511.05644). A deterministic encoder q(z|x) = δ(z − f(x)), a decoder g and a discriminator D on codes.
/// Training matches the aggregated posterior q(z) = ∫ q(z|x) p_d(x) dx to a prior p(z) with the GAN game (Eq. 1)
/// min_f max_D E_{z~p(z)}[log D(z)] + E_{x~p_d}[log(1 − D(f(x)))], alongside reconstruction.
/// <para>Each batch has a reconstruction and a regularisation phase (§2), declared as three training phases
/// (<see cref="TrainingPhases"/>):</para>
/// <list type="number">
/// <item>"reconstruction": encoder and decoder minimise L_rec = (1/B) Σ_b −log p(x_b | g(f(x_b))) (BCE on logits or
/// squared error summed per sample), with the run's optimizer.</item>
/// <item>"discriminator": D minimises L_D = BCE(D(z'), 1) + BCE(D(f(x)), 0), z' ~ p(z), codes held fixed; then
/// "generator": the encoder minimises L_G = w·BCE(D(f(x)), 1) (the non-saturating generator loss), w the warm-up
/// weight. Both with the run's optimizer at <see cref="AaeOptions.AdversarialLearningRate"/> and β₁ = 0.5 (Radford et al. 2016).</item>
/// </list>
/// Terms: total = L_rec + L_G, reconstruction, regularisation L_G, extras "discriminator" (L_D).
/// </summary>
public sealed class AdversarialAutoencoder : NetworkAutoencoder, IGenerativeModel
{
    /// <summary>The registry entry ("aae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<AaeOptions>("aae",
        "Makhzani et al. 2015, Adversarial Autoencoders, arXiv:1511.05644",
        "adversarial autoencoder: deterministic codes matched to a Gaussian or ring-mixture prior by a discriminator",
        (options, shape, rng) => new AdversarialAutoencoder(options, shape, rng));

    /// <summary>Radius of the ring of mixture means, in code units.</summary>
    public const float MixtureRadius = 4f;

    /// <summary>Standard deviation of each mixture component.</summary>
    public const float MixtureStd = 0.5f;

    private readonly AaeOptions _options;

    /// <summary>Builds encoder/decoder through <see cref="AutoencoderNetworks"/> and the discriminator MLP, initialised from <paramref name="rng"/>.</summary>
    public AdversarialAutoencoder(AaeOptions options, int[] inputShape, Rng rng)
        : base(options, ModelOptions.Checked(options).NetworkOptions(), inputShape, rng)
    {
        _options = options;
        if (options.Prior == AaePrior.Mixture && CodeSize < 2)
            throw new ArgumentException($"aae: the mixture prior lies on a ring in 2-D and needs a code of at least 2 dimensions, got {CodeSize}", nameof(options));

        Discriminator = Add("discriminator", Discriminators.Mlp(CodeSize, options.DiscriminatorSizes(), rng));
    }

    /// <summary>D: z [B, Z] → logit of "drawn from the prior", [B, 1].</summary>
    public Layer Discriminator { get; }

    /// <summary>
    /// <paramref name="count"/> draws from p(z), [count, Z]: N(0, I), or for the mixture a component c uniform in
    /// 0..K−1 with mean (r cos 2πc/K, r sin 2πc/K, 0, ...) and standard deviation 0.5 in the first two dimensions
    /// (further dimensions N(0, 1)).
    /// </summary>
    public Tensor SamplePrior(int count, Rng rng)
    {
        if (count <= 0) throw new ArgumentException($"aae.SamplePrior: count {count} must be positive", nameof(count));
        ArgumentNullException.ThrowIfNull(rng);
        var z = rng.Normal([count, CodeSize]);
        if (_options.Prior == AaePrior.Mixture)
        {
            var v = z.Span;
            for (int b = 0; b < count; b++)
            {
                double angle = 2 * Math.PI * rng.NextInt(_options.Components) / _options.Components;
                v[b * CodeSize] = MixtureRadius * (float)Math.Cos(angle) + MixtureStd * v[b * CodeSize];
                v[b * CodeSize + 1] = MixtureRadius * (float)Math.Sin(angle) + MixtureStd * v[b * CodeSize + 1];
            }
        }
        return z;
    }

    /// <summary>Decodes codes drawn from the prior: [count, ...InputShape] in data space.</summary>
    public Tensor Sample(int count, Rng rng)
    {
        using (Tensor.NoGrad())
            return Decode(SamplePrior(count, rng));
    }

    /// <summary>
    /// The objective on a batch without updating anything (validation, evaluation): L_rec, L_G = w·BCE(D(f(x)), 1)
    /// and L_D with prior samples from <paramref name="ctx"/>.Rng; total = L_rec + L_G.
    /// </summary>
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var z = Encoder.Forward(x);
        var reconstruction = Reconstruction(Decoder.Forward(z), x);
        var generator = GeneratorLoss(z) * ctx.RegularisationWeight;
        var discriminator = DiscriminatorLoss(SamplePrior(x.Shape[0], ctx.Rng), z);
        return new LossTerms(reconstruction + generator, reconstruction, generator).With("discriminator", discriminator);
    }

    /// <summary>Reconstruction (encoder + decoder), then discriminator (prior samples "real", codes held fixed "fake"), then
    /// generator (the encoder makes D call its codes real), as in the type's summary; the last reports <see cref="Loss"/>'s terms.</summary>
    public override IReadOnlyList<TrainingPhase> TrainingPhases()
    {
        var adversarial = new OptimizerSpec { LearningRate = _options.AdversarialLearningRate, Beta1 = 0.5f };
        Tensor? reconstruction = null, discriminator = null; // this step's values of the earlier phases, for the report
        return
        [
            new("reconstruction", [.. Encoder.Parameters(), .. Decoder.Parameters()], (x, _) =>
            {
                reconstruction = Reconstruction(Decoder.Forward(Encoder.Forward(x)), x);
                return new LossTerms(reconstruction, reconstruction);
            }),
            new("discriminator", [.. Discriminator.Parameters()], (x, ctx) =>
            {
                Tensor codes;
                using (Tensor.NoGrad()) codes = Encoder.Forward(x);
                discriminator = DiscriminatorLoss(SamplePrior(x.Shape[0], ctx.Rng), codes);
                return new LossTerms(discriminator, discriminator);
            }) { Optimizer = adversarial },
            new("generator", [.. Encoder.Parameters()], (x, ctx) =>
            {
                var generator = GeneratorLoss(Encoder.Forward(x)) * ctx.RegularisationWeight;
                var rec = reconstruction!.Detach();
                return new LossTerms(rec + generator.Detach(), rec, generator).With("discriminator", discriminator!.Detach());
            }) { Term = LossTerms.RegularisationName, Optimizer = adversarial },
        ];
    }

    /// <summary>L_D = BCE(D(z_prior), 1) + BCE(D(z_codes), 0), each averaged over its batch (scalar).</summary>
    private Tensor DiscriminatorLoss(Tensor priorSamples, Tensor codes)
    {
        var real = Discriminator.Forward(priorSamples);
        return Discriminators.RealVersusFake(real, Discriminator.Forward(codes));
    }

    /// <summary>L_G = BCE(D(f(x)), 1), the non-saturating form of −log D(f(x)) (scalar).</summary>
    private Tensor GeneratorLoss(Tensor codes) => Discriminators.Fooled(Discriminator.Forward(codes));
}
