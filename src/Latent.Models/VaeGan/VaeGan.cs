using Latent.Core;
using Latent.Models.Adversarial;
using Latent.Models.Training;
using Latent.Models.Vae;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.VaeGan;

/// <summary>
/// The VAE-GAN (Larsen, Sønderby, Larochelle &amp; Winther 2016, "Autoencoding beyond pixels using a learned similarity
/// metric", ICML, arXiv:1512.09300). A <see cref="Vae.Vae"/> whose decoder is also a GAN generator, and whose
/// reconstruction error is measured in the feature space of the discriminator's l-th layer Dis_l instead of pixels.
/// <para>With z ~ q(z|x) (reparameterised), x̃ = Dec(z), z_p ~ N(0, I), x_p = Dec(z_p) (decoder means in data space):</para>
/// <list type="bullet">
/// <item>L_prior = KL(q(z|x) ‖ N(0, I)) (Eq. 3's prior term);</item>
/// <item>L_llike = −log N(Dis_l(x) | Dis_l(x̃), I) = ½‖Dis_l(x) − Dis_l(x̃)‖² + const (Eq. 6, constant dropped);</item>
/// <item>L_GAN = log Dis(x) + log(1 − Dis(x̃)) + log(1 − Dis(x_p)) (Eq. 7, with samples and reconstructions as fakes).</item>
/// </list>
/// <para>The reconstruction error is L_rec = L_llike + ρ·(−log p(x|z)) with ρ = <see cref="VaeGanOptions.PixelWeight"/>:
/// ρ = 0 is the paper's objective; the default ρ = 1 adds the pixel-space error, as Dosovitskiy &amp; Brox 2016 pair
/// feature, adversarial and image losses, because an MLP discriminator's features alone leave the reconstructions
/// well behind the VAE's (docs/models/vae-gan.md has the measurements).</para>
/// Each batch has three training phases (<see cref="TrainingPhases"/>, Algorithm 1), batch averages throughout:
/// <list type="number">
/// <item>"encoder": minimises w·β·L_prior + L_rec (the run's optimizer);</item>
/// <item>"decoder": minimises γ·L_llike + ρ·(−log p(x|z)) − L_GAN, the GAN part in the non-saturating form
/// BCE(Dis(x̃), 1) + BCE(Dis(x_p), 1) (the run's optimizer);</item>
/// <item>"discriminator": maximises L_GAN, i.e. minimises BCE(Dis(x), 1) + BCE(Dis(x̃), 0) + BCE(Dis(x_p), 0) with
/// x̃ and x_p held fixed (Adam, β₁ = 0.5, at <see cref="VaeGanOptions.DiscriminatorLearningRate"/>).</item>
/// </list>
/// Terms: total = L_rec + w·β·L_prior (the encoder's objective), reconstruction (L_rec), regularisation
/// (w·β·L_prior), extras "kl", "feature" (L_llike), "pixel_nll" (−log p(x|z) in pixel space), "generator" (the
/// decoder's GAN loss) and "discriminator".
/// </summary>
public sealed class VaeGan : Vae.Vae
{
    /// <summary>The registry entry ("vae-gan").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<VaeGanOptions>("vae-gan",
        "Larsen et al. 2016, Autoencoding beyond pixels using a learned similarity metric, ICML, arXiv:1512.09300",
        "VAE whose decoder is a GAN generator; reconstruction error measured in a discriminator layer's features",
        (options, shape, rng) => new VaeGan(options, shape, rng));

    private readonly VaeGanOptions _options;

    /// <summary>Builds the VAE networks as <see cref="Vae.Vae"/> does, then the discriminator MLP on flattened images.</summary>
    public VaeGan(VaeGanOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        _options = options;
        var sizes = options.DiscriminatorSizes();
        DiscriminatorFeatures = Add("discriminator", Discriminators.Mlp(InputSize, sizes, rng, head: false));
        DiscriminatorHead = Add("discriminator_head", new Linear(sizes[^1], 1, rng));
    }

    /// <summary>Dis_l: x [B, ...InputShape] flattened → features of the last hidden layer, [B, H].</summary>
    public Layer DiscriminatorFeatures { get; }

    /// <summary>Features [B, H] → logit of "real", [B, 1].</summary>
    public Layer DiscriminatorHead { get; }

    /// <summary>The discriminator's parameters (feature layers and head).</summary>
    public IReadOnlyList<Tensor> DiscriminatorParameters() => [.. DiscriminatorFeatures.Parameters(), .. DiscriminatorHead.Parameters()];

    /// <summary>Dis_l(x) for x [B, ...InputShape] in data space: [B, H].</summary>
    public Tensor Features(Tensor x) => DiscriminatorFeatures.Forward(x.Reshape(x.Shape[0], InputSize));

    /// <summary>The objective's terms on a batch without updating anything (validation, evaluation).</summary>
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckInput(x, nameof(Loss));
        ArgumentNullException.ThrowIfNull(ctx);
        var encoder = EncoderTerms(x, ctx, out var reconstruction);
        var fake = Decode(Prior(x.Shape[0]).Sample(ctx.Rng));
        return encoder
            .With("generator", GeneratorLoss(reconstruction, fake))
            .With("discriminator", DiscriminatorLoss(x, reconstruction.Detach(), fake.Detach()));
    }

    /// <summary>"encoder", "decoder", "discriminator" as in the type's summary; the last reports every term.</summary>
    public override IReadOnlyList<TrainingPhase> TrainingPhases()
    {
        LossTerms? encoder = null;
        Tensor? generator = null; // this step's values of the earlier phases, for the report
        return
        [
            new("encoder", [.. Encoder.Parameters()], (x, ctx) =>
            {
                encoder = EncoderTerms(x, ctx, out _);
                return encoder;
            }),
            new("decoder", [.. Decoder.Parameters()], (x, ctx) =>
            {
                Tensor z;
                using (Tensor.NoGrad()) z = Posterior(x).Sample(ctx.Rng);
                var likelihood = Likelihood(Decoder.Forward(z));
                var reconstruction = likelihood.Mean;
                var fake = Decode(Prior(x.Shape[0]).Sample(ctx.Rng));
                generator = GeneratorLoss(reconstruction, fake);
                var llike = FeatureError(x, reconstruction);
                var objective = llike * _options.Gamma;
                if (_options.PixelWeight > 0) objective += likelihood.NegativeLogLikelihood(x).Mean() * _options.PixelWeight;
                return new LossTerms(objective + generator, llike);
            }),
            new("discriminator", DiscriminatorParameters(), (x, ctx) =>
            {
                Tensor reconstruction, fake;
                using (Tensor.NoGrad())
                {
                    reconstruction = Decode(Posterior(x).Sample(ctx.Rng));
                    fake = Decode(Prior(x.Shape[0]).Sample(ctx.Rng));
                }
                var discriminator = DiscriminatorLoss(x, reconstruction, fake);
                return Discriminators.Report(encoder!).With("generator", generator!.Detach()).With("discriminator", discriminator);
            }) { Term = "discriminator", Optimizer = new OptimizerSpec { LearningRate = _options.DiscriminatorLearningRate, Beta1 = 0.5f } },
        ];
    }

    /// <summary>The encoder's terms: L_llike + ρ·pixel NLL + w·β·L_prior, and the reconstruction x̃ [B, ...InputShape] (data space).</summary>
    private LossTerms EncoderTerms(Tensor x, TrainingContext ctx, out Tensor reconstruction)
    {
        var q = Posterior(x);
        var z = q.Sample(ctx.Rng); // reparameterised: z = μ + σ ⊙ ε
        var likelihood = Likelihood(Decoder.Forward(z));
        reconstruction = likelihood.Mean;
        var feature = FeatureError(x, reconstruction);
        var pixel = likelihood.NegativeLogLikelihood(x).Mean();
        var llike = _options.PixelWeight > 0 ? feature + pixel * _options.PixelWeight : feature;
        var kl = q.Kl(Prior(x.Shape[0])).Mean();
        var regularisation = kl * (_options.Beta * ctx.RegularisationWeight);
        return new LossTerms(llike + regularisation, llike, regularisation)
            .With("kl", kl)
            .With("feature", feature.Detach())
            .With("pixel_nll", pixel.Detach());
    }

    /// <summary>L_llike = (1/B) Σ_b ½‖Dis_l(x_b) − Dis_l(x̃_b)‖² (scalar); Dis_l(x) is a fixed target.</summary>
    private Tensor FeatureError(Tensor x, Tensor reconstruction)
    {
        var target = Features(x).Detach();
        return (Features(reconstruction) - target).Square().Sum() * (0.5f / x.Shape[0]);
    }

    /// <summary>The decoder's GAN loss, non-saturating: BCE(Dis(x̃), 1) + BCE(Dis(x_p), 1) (scalar).</summary>
    private Tensor GeneratorLoss(Tensor reconstruction, Tensor fake)
    {
        var a = Logit(reconstruction);
        return Discriminators.Fooled(a, Logit(fake));
    }

    /// <summary>BCE(Dis(x), 1) + BCE(Dis(x̃), 0) + BCE(Dis(x_p), 0) (scalar), −L_GAN.</summary>
    private Tensor DiscriminatorLoss(Tensor x, Tensor reconstruction, Tensor fake)
    {
        var real = Logit(x);
        var a = Logit(reconstruction);
        return Discriminators.RealVersusFake(real, a, Logit(fake));
    }

    private Tensor Logit(Tensor x) => DiscriminatorHead.Forward(Features(x));
}
