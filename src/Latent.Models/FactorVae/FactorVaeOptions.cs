using Latent.Models.Options;
using Latent.Models.Vae;

namespace Latent.Models.FactorVae;

/// <summary>
/// Options of the FactorVAE (Kim &amp; Mnih 2018, "Disentangling by Factorising", ICML). Defaults follow the paper's
/// dSprites set-up (§4 and appendix A): γ = 6.4, a 10-dimensional code, a discriminator of six hidden layers of 1000
/// units (leaky ReLU in the paper, ReLU here), trained with Adam at learning rate 1e-4 and betas (0.5, 0.9). The VAE
/// networks are an MLP by default with the hidden sizes of Higgins et al. 2017's fully connected dSprites network
/// (<c>arch=784-1200-1200-10</c>; the first size is fitted to the data, 4096 for 64×64 sprites; <c>network=conv</c>
/// for a convolutional encoder as in the paper), β = 1 (the plain ELBO).
/// </summary>
public sealed record FactorVaeOptions : VaeOptions
{
    /// <summary>The keys of <see cref="VaeOptions.Schema"/>, gamma, disc, disc_lr.</summary>
    public static new readonly OptionSchema<FactorVaeOptions> Schema = new OptionSchema<FactorVaeOptions>("factor-vae")
        .Include(VaeOptions.Schema)
        .Real(o => o.Gamma, "gamma", "[0, inf)", "γ, the weight of the total correlation estimated by the discriminator (Kim & Mnih 2018, Eq. 2)")
        .Sizes(o => o.Discriminator, "disc", 0, "sizes, or 0 for none", "hidden layer sizes of the discriminator D (ReLU; code → … → 1 logit)",
            none: "0", aliases: ["discriminator"])
        .Real(o => o.DiscriminatorLearningRate, "disc_lr", "(0, inf)", "Adam learning rate of the discriminator (betas 0.5, 0.9)");

    /// <summary>The fully connected dSprites hidden sizes, 784-1200-1200-10.</summary>
    public FactorVaeOptions()
    {
        Architecture = "784-1200-1200-10";
    }

    /// <summary>γ, the weight of the total-correlation term.</summary>
    public float Gamma { get; init; } = 6.4f;

    /// <summary>Hidden layer sizes of the discriminator D: code → hidden... → 1 logit.</summary>
    public string Discriminator { get; init; } = "1000-1000-1000-1000-1000-1000";

    /// <summary>Adam learning rate of the discriminator.</summary>
    public float DiscriminatorLearningRate { get; init; } = 1e-4f;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <summary>The parsed <see cref="Discriminator"/> hidden sizes (possibly empty: a linear discriminator).</summary>
    public int[] DiscriminatorSizes() =>
        OptionSpec.ParseSizes(Discriminator, 0, "0", out var sizes) is { } error ? throw Invalid("disc", error) : sizes;
}
