using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Cvae;

/// <summary>
/// Options of the conditional VAE (Sohn, Lee &amp; Yan 2015, "Learning Structured Output Representation using Deep
/// Conditional Generative Models", NeurIPS; Kingma, Rezende, Mohamed &amp; Welling 2014, "Semi-Supervised Learning with Deep
/// Generative Models", NeurIPS, model M2 with the label observed). The network is the VAE's MLP (<c>arch=784-500-20</c>:
/// one hidden layer of 500 units, as in M2's MNIST experiments, and Z = 20); the one-hot label of <c>classes</c> entries is
/// concatenated to the encoder's input and to the decoder's code input (with a convolutional network, <c>network=conv</c>,
/// the label is broadcast as C extra input channels of the encoder instead). β = 1 is the conditional ELBO.
/// </summary>
public sealed record CvaeOptions : EncoderDecoderOptions
{
    /// <summary>The network keys of <see cref="AutoencoderOptions.Schema"/>, classes and beta.</summary>
    public static readonly OptionSchema<CvaeOptions> Schema = new OptionSchema<CvaeOptions>("cvae")
        .Include(AutoencoderOptions.Schema, "arch", "hidden", "output", "network")
        .Int(o => o.Classes, "classes", "[2, 65536]", "C, the number of classes; the label enters encoder and decoder as a one-hot vector of C entries")
        .Real(o => o.Beta, "beta", "[0, inf)", "weight β of the KL term; 1 gives the conditional ELBO of Sohn et al. 2015");

    /// <summary>The M2 MNIST network, 784-500-20, for 10 classes.</summary>
    public CvaeOptions()
    {
        Architecture = "784-500-20";
    }

    /// <summary>C, the number of classes.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>Weight β of the KL term; 1 gives the conditional ELBO.</summary>
    public float Beta { get; init; } = 1f;

    /// <summary>The latent size Z (the last entry of <see cref="EncoderDecoderOptions.Architecture"/>).</summary>
    public int LatentSize => LayerSizes()[^1];

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

}
