using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Rae;

/// <summary>
/// Options of the regularised autoencoder (Ghosh, Sajjadi, Vergari, Black &amp; Schölkopf 2020, "From Variational to
/// Deterministic Autoencoders", ICLR): the network keys of the autoencoder (default 784-500-20, the VAE's network),
/// the code penalty β (default 1e-4), the decoder regulariser and its weight λ (default L2, 1e-7), and the
/// ex-post density: a K-component Gaussian mixture (default 10, as in the paper) fitted by EM.
/// </summary>
public sealed record RaeOptions : EncoderDecoderOptions
{
    /// <summary>The network keys of <see cref="AutoencoderOptions.Schema"/> and the RAE's own.</summary>
    public static readonly OptionSchema<RaeOptions> Schema = new OptionSchema<RaeOptions>("rae")
        .Include(AutoencoderOptions.Schema, "arch", "hidden", "output", "network")
        .Real(o => o.CodeWeight, "code_weight", "[0, inf)", "β, the weight of the code penalty ½‖z‖² (Ghosh 2020, Eq. 11)")
        .Choice(o => o.Regulariser, "regulariser", "decoder regulariser: l2 (weight decay on the decoder), gp (gradient penalty ‖∇_z D(z)‖²), none")
        .Real(o => o.DecoderWeight, "decoder_weight", "[0, inf)", "λ, the weight of the decoder regulariser")
        .Int(o => o.Components, "components", "[1, 1000]", "K, Gaussian components of the ex-post density over the codes")
        .Int(o => o.EmIterations, "em_iterations", "[0, 100000]", "most EM iterations of the ex-post density fit (it stops once the mean log-likelihood gains < 1e-4)");

    /// <summary>The VAE's MNIST network, 784-500-20.</summary>
    public RaeOptions()
    {
        Architecture = "784-500-20";
    }

    /// <summary>β, the weight of ½‖z‖².</summary>
    public float CodeWeight { get; init; } = 1e-4f;

    /// <summary>The decoder regulariser.</summary>
    public RaeRegulariser Regulariser { get; init; } = RaeRegulariser.L2;

    /// <summary>λ, the weight of the decoder regulariser.</summary>
    public float DecoderWeight { get; init; } = 1e-7f;

    /// <summary>K, the components of the ex-post Gaussian mixture.</summary>
    public int Components { get; init; } = 10;

    /// <summary>The most EM iterations of the ex-post fit.</summary>
    public int EmIterations { get; init; } = 100;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override bool TanhOutputSupported => true;
}
