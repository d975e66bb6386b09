using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Vae;

/// <summary>
/// Options of the variational autoencoder (Kingma &amp; Welling 2014, "Auto-Encoding Variational Bayes", ICLR).
/// The defaults follow the paper's MNIST set-up (§5, appendix C): one hidden layer of 500 units and a 20-dimensional
/// latent space (<c>arch=784-500-20</c>), Bernoulli decoder, β = 1 (the plain ELBO). Hidden units default to ReLU (the
/// paper used tanh with Adagrad; ReLU trains better with Adam, as in the <c>ae</c> family). The encoder's last layer has
/// 2Z outputs (μ and log σ²); the decoder mirrors the sizes from Z back to the input. A Gaussian output is a unit-variance
/// likelihood (−log p(x|z) = ½‖x − x̂‖² + (D/2) log 2π). The seed VAE is <c>arch=784-128-20 hidden=relu output=bernoulli</c>.
/// </summary>
public record VaeOptions : EncoderDecoderOptions
{
    /// <summary>The network keys of <see cref="AutoencoderOptions.Schema"/> (linear code units) and beta.</summary>
    public static readonly OptionSchema<VaeOptions> Schema = new OptionSchema<VaeOptions>("vae")
        .Include(AutoencoderOptions.Schema, "arch", "hidden", "output", "network")
        .Real(o => o.Beta, "beta", "[0, inf)", "weight β of the KL term (Higgins et al. 2017); 1 gives the ELBO of Kingma & Welling");

    /// <summary>The paper's MNIST network, 784-500-20.</summary>
    public VaeOptions()
    {
        Architecture = "784-500-20";
    }

    /// <summary>Weight β of the KL term (Higgins et al. 2017); 1 gives the ELBO of Kingma &amp; Welling.</summary>
    public float Beta { get; init; } = 1f;

    /// <summary>The latent size Z (the last entry of <see cref="EncoderDecoderOptions.Architecture"/>).</summary>
    public int LatentSize => LayerSizes()[^1];

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

}
