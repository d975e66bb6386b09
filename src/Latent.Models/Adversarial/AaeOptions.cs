using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Adversarial;

/// <summary>
/// Options of the adversarial autoencoder. Defaults follow Makhzani et al. 2015 ("Adversarial Autoencoders", §2 and
/// appendix): encoder, decoder and discriminator with two hidden layers of 1000 ReLU units, an 8-dimensional code
/// (<c>arch=784-1000-1000-8</c>) with a standard Gaussian prior, Bernoulli output. The mixture prior has 10 components
/// on a ring (the paper's Fig. 2, radius 4, standard deviation 0.5 per component here). The adversarial phases use
/// Adam with β₁ = 0.5 (Radford et al. 2016, the usual setting for adversarial training) at
/// <see cref="AdversarialLearningRate"/> instead of the paper's SGD with momentum; the reconstruction phase uses the
/// trainer's optimizer.
/// </summary>
public sealed record AaeOptions : EncoderDecoderOptions
{
    /// <summary>The network keys of <see cref="AutoencoderOptions.Schema"/> (linear code units), disc, prior, components, adv_lr.</summary>
    public static readonly OptionSchema<AaeOptions> Schema = new OptionSchema<AaeOptions>("aae")
        .Include(AutoencoderOptions.Schema, "arch", "hidden", "output", "network")
        .Sizes(o => o.Discriminator, "disc", 0, "sizes, or 0 for none", "hidden layer sizes of the discriminator D (ReLU; code → … → 1 logit)",
            none: "0", aliases: ["discriminator"])
        .Choice(o => o.Prior, "prior", "p(z): gaussian N(0, I) or mixture (components on a ring of radius 4)",
            ("normal", AaePrior.Gaussian), ("mog", AaePrior.Mixture))
        .Int(o => o.Components, "components", "[1, inf)", "mixture components")
        .Real(o => o.AdversarialLearningRate, "adv_lr", "(0, inf)", "Adam learning rate of the discriminator and generator updates");

    /// <summary>The paper's network, 784-1000-1000-8.</summary>
    public AaeOptions()
    {
        Architecture = "784-1000-1000-8";
    }

    /// <summary>Hidden layer sizes of the discriminator D: code → hidden... → 1 logit, e.g. "1000-1000".</summary>
    public string Discriminator { get; init; } = "1000-1000";

    /// <summary>The prior p(z).</summary>
    public AaePrior Prior { get; init; } = AaePrior.Gaussian;

    /// <summary>Number of mixture components for <see cref="AaePrior.Mixture"/>.</summary>
    public int Components { get; init; } = 10;

    /// <summary>Learning rate of the discriminator and generator (encoder) updates.</summary>
    public float AdversarialLearningRate { get; init; } = 2e-4f;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override bool TanhOutputSupported => true;

    /// <summary>The parsed <see cref="Discriminator"/> hidden sizes (possibly empty: a linear discriminator).</summary>
    public int[] DiscriminatorSizes() =>
        OptionSpec.ParseSizes(Discriminator, 0, "0", out var sizes) is { } error ? throw Invalid("disc", error) : sizes;
}
