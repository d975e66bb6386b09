using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Training;
using Latent.NN;
using Latent.NN.Layers;
using Latent.NN.Losses;
using Latent.NN.Optim;
using NnLoss = Latent.NN.Losses.Loss;

namespace Latent.Models.Adversarial;

/// <summary>
/// The adversarial autoencoder (Makhzani, Shlens, Jaitly, Goodfellow &amp; Frey 2015, "Adversarial Autoencoders",
/// arXiv:1511.05644). A deterministic encoder q(z|x) = δ(z − f(x)), a decoder g and a discriminator D on codes.
/// Training matches the aggregated posterior q(z) = ∫ q(z|x) p_d(x) dx to a prior p(z) with the GAN game (Eq. 1)
/// min_f max_D E_{z~p(z)}[log D(z)] + E_{x~p_d}[log(1 − D(f(x)))], alongside reconstruction.
/// <para>Each batch has two phases (§2):</para>
/// <list type="number">
/// <item>Reconstruction: encoder and decoder minimise L_rec = (1/B) Σ_b −log p(x_b | g(f(x_b))) (BCE on logits or
/// squared error summed per sample), with the trainer's optimizer.</item>
/// <item>Regularisation: D minimises L_D = BCE(D(z'), 1) + BCE(D(f(x)), 0), z' ~ p(z), codes held fixed; then the
/// encoder minimises L_G = w·BCE(D(f(x)), 1) (the non-saturating generator loss), w the warm-up weight.</item>
/// </list>
/// D and the encoder's adversarial update have their own Adam optimizers (<see cref="ExtraOptimizers"/>), saved in
/// checkpoints. Terms: total = L_rec + L_G, reconstruction, regularisation L_G, extras "discriminator" (L_D).
/// </summary>
public sealed class AdversarialAutoencoder : NetworkAutoencoder, IGenerativeModel, ICustomTrainingStep
{
    /// <summary>The registry entry ("aae").</summary>
    public static ModelInfo Info { get; } = new(
        Name: "aae",
        Citation: "Makhzani et al. 2015, Adversarial Autoencoders, arXiv:1511.05644",
        Description: "adversarial autoencoder: deterministic codes matched to a Gaussian or ring-mixture prior by a discriminator",
        Defaults: new AaeOptions(),
        ParseOptions: AaeOptions.Parse,
        Create: (options, shape, rng) => new AdversarialAutoencoder(
            options as AaeOptions ?? throw new ArgumentException($"aae: expected AaeOptions, got {options.GetType().Name}", nameof(options)),
            shape, rng));

    /// <summary>Radius of the ring of mixture means, in code units.</summary>
    public const float MixtureRadius = 4f;

    /// <summary>Standard deviation of each mixture component.</summary>
    public const float MixtureStd = 0.5f;

    private readonly AaeOptions _options;
    private readonly Optimizer _discriminatorOptimizer, _generatorOptimizer;

    /// <summary>Builds encoder/decoder through <see cref="AutoencoderNetworks"/> and the discriminator MLP, initialised from <paramref name="rng"/>.</summary>
    public AdversarialAutoencoder(AaeOptions options, int[] inputShape, Rng rng)
        : base(Checked(options, rng).NetworkOptions(), inputShape, rng)
    {
        _options = options;
        if (options.Prior == AaePrior.Mixture && CodeSize < 2)
            throw new ArgumentException($"aae: the mixture prior lies on a ring in 2-D and needs a code of at least 2 dimensions, got {CodeSize}", nameof(options));

        var discriminator = new Sequential();
        int width = CodeSize;
        foreach (int h in options.DiscriminatorSizes())
        {
            discriminator.Append(new Linear(width, h, rng));
            discriminator.Append(Activation.FromName("relu"));
            width = h;
        }
        discriminator.Append(new Linear(width, 1, rng));
        Discriminator = Add("discriminator", discriminator);

        // Adam with β₁ = 0.5 for the adversarial game (Radford et al. 2016).
        _discriminatorOptimizer = new Adam(Discriminator.Parameters(), options.AdversarialLearningRate, beta1: 0.5f);
        _generatorOptimizer = new Adam(Encoder.Parameters(), options.AdversarialLearningRate, beta1: 0.5f);
    }

    /// <inheritdoc />
    public override string Name => "aae";

    /// <inheritdoc />
    public override ModelOptions Options => _options;

    /// <summary>D: z [B, Z] → logit of "drawn from the prior", [B, 1].</summary>
    public Layer Discriminator { get; }

    /// <summary>The discriminator's optimizer, then the encoder's adversarial (generator) optimizer.</summary>
    public IReadOnlyList<Optimizer> ExtraOptimizers => [_discriminatorOptimizer, _generatorOptimizer];

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
        CheckInput(x, nameof(Loss));
        ArgumentNullException.ThrowIfNull(ctx);
        var z = Encoder.Forward(x);
        var reconstruction = Reconstruction(Decoder.Forward(z), x);
        var generator = GeneratorLoss(z) * ctx.RegularisationWeight;
        var discriminator = DiscriminatorLoss(SamplePrior(x.Shape[0], ctx.Rng), z);
        return new LossTerms(reconstruction + generator, reconstruction, generator).With("discriminator", discriminator);
    }

    /// <summary>One batch: the reconstruction phase with <paramref name="optimizer"/>, then the regularisation phase
    /// (discriminator update, then generator update of the encoder) with the model's own optimizers.</summary>
    public LossTerms TrainingStep(Tensor x, TrainingContext ctx, Optimizer optimizer)
    {
        CheckInput(x, nameof(TrainingStep));
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(optimizer);

        // 1. Reconstruction phase: encoder + decoder (D is not in this graph, so the optimizer skips it).
        optimizer.ZeroGrad();
        var reconstruction = Reconstruction(Decoder.Forward(Encoder.Forward(x)), x);
        reconstruction.Backward();
        optimizer.Step();

        // 2a. Regularisation phase, discriminator: prior samples are "real", codes (held fixed) are "fake".
        Tensor codes;
        using (Tensor.NoGrad()) codes = Encoder.Forward(x);
        _discriminatorOptimizer.ZeroGrad();
        var discriminator = DiscriminatorLoss(SamplePrior(x.Shape[0], ctx.Rng), codes);
        discriminator.Backward();
        _discriminatorOptimizer.Step();

        // 2b. Regularisation phase, generator: the encoder learns to make D call its codes "real".
        _generatorOptimizer.ZeroGrad();
        var generator = GeneratorLoss(Encoder.Forward(x)) * ctx.RegularisationWeight;
        generator.Backward();
        _generatorOptimizer.Step();
        _discriminatorOptimizer.ZeroGrad(); // D received gradients in 2b but is not updated by them

        return new LossTerms(
            (reconstruction + generator).Detach(), reconstruction.Detach(), generator.Detach())
            .With("discriminator", discriminator.Detach());
    }

    /// <summary>L_D = BCE(D(z_prior), 1) + BCE(D(z_codes), 0), each averaged over its batch (scalar).</summary>
    private Tensor DiscriminatorLoss(Tensor priorSamples, Tensor codes)
    {
        var real = Discriminator.Forward(priorSamples);
        var fake = Discriminator.Forward(codes);
        return NnLoss.BceWithLogits(real, Tensor.OnesLike(real), Reduction.Mean)
             + NnLoss.BceWithLogits(fake, Tensor.ZerosLike(fake), Reduction.Mean);
    }

    /// <summary>L_G = BCE(D(f(x)), 1), the non-saturating form of −log D(f(x)) (scalar).</summary>
    private Tensor GeneratorLoss(Tensor codes)
    {
        var logits = Discriminator.Forward(codes);
        return NnLoss.BceWithLogits(logits, Tensor.OnesLike(logits), Reduction.Mean);
    }

    private static AaeOptions Checked(AaeOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        return options;
    }
}
