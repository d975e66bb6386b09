using Latent.Models.Options;
using Latent.Models.Vae;

namespace Latent.Models.VaeGan;

/// <summary>
/// Options of the VAE-GAN (Larsen, Sønderby, Larochelle &amp; Winther 2016, "Autoencoding beyond pixels using a learned
/// similarity metric", ICML). The paper's networks are convolutional on 64×64 faces; here encoder and decoder follow
/// the <c>vae</c> family's network keys (MLP <c>arch=784-500-20</c> by default, <c>network=conv</c> for images) and the
/// discriminator is an MLP on the flattened image whose last hidden layer is the feature layer Dis_l. γ, the weight of
/// the feature-space reconstruction error in the decoder's update (§2.1), defaults to 1 (a choice made here); the
/// discriminator trains with Adam, β₁ = 0.5, at 3e-4 (the paper's RMSProp learning rate). ρ = 1 adds the pixel-space
/// reconstruction error to the feature-space one (0 is the paper's objective; see <see cref="VaeGan"/>).
/// </summary>
public sealed record VaeGanOptions : VaeOptions
{
    /// <summary>The keys of <see cref="VaeOptions.Schema"/>, gamma, disc, disc_lr.</summary>
    public static new readonly OptionSchema<VaeGanOptions> Schema = new OptionSchema<VaeGanOptions>("vae-gan")
        .Include(VaeOptions.Schema)
        .Real(o => o.Gamma, "gamma", "[0, inf)", "γ, the weight of the feature-space reconstruction error in the decoder's update (Larsen et al. 2016, §2.1)")
        .Sizes(o => o.Discriminator, "disc", 1, "sizes, at least one", "hidden layer sizes of the discriminator (ReLU; image → … → 1 logit); the last is the feature layer Dis_l",
            aliases: ["discriminator"])
        .Real(o => o.DiscriminatorLearningRate, "disc_lr", "(0, inf)", "Adam learning rate of the discriminator (β₁ = 0.5)")
        .Real(o => o.PixelWeight, "pixel", "[0, inf)", "ρ, the weight of the pixel-space negative log-likelihood added to the feature-space error in the encoder's and decoder's updates; 0 is Larsen et al. 2016's objective");

    /// <summary>The <c>vae</c> family's MNIST network, 784-500-20.</summary>
    public VaeGanOptions()
    {
        Architecture = "784-500-20";
    }

    /// <summary>γ, the weight of the feature-space reconstruction error in the decoder's loss.</summary>
    public float Gamma { get; init; } = 1f;

    /// <summary>Hidden layer sizes of the discriminator: image → hidden... → 1 logit; the last hidden layer is Dis_l.</summary>
    public string Discriminator { get; init; } = "512-256";

    /// <summary>Adam learning rate of the discriminator.</summary>
    public float DiscriminatorLearningRate { get; init; } = 3e-4f;

    /// <summary>ρ, the weight of the pixel-space reconstruction error next to the feature-space one.</summary>
    public float PixelWeight { get; init; } = 1f;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <summary>The parsed <see cref="Discriminator"/> hidden sizes (at least one).</summary>
    public int[] DiscriminatorSizes() =>
        OptionSpec.ParseSizes(Discriminator, 1, null, out var sizes) is { } error ? throw Invalid("disc", error) : sizes;
}
