using Latent.Models.Options;
using Latent.Models.Vae;

namespace Latent.Models.Iwae;

/// <summary>
/// Options of the importance-weighted autoencoder (Burda, Grosse &amp; Salakhutdinov 2016, "Importance Weighted
/// Autoencoders", ICLR): the <see cref="VaeOptions"/> and K, the number of importance samples per input in the
/// training bound (the paper trains with K = 1, 5 and 50; default 5).
/// </summary>
public sealed record IwaeOptions : VaeOptions
{
    /// <summary>The keys of <see cref="VaeOptions.Schema"/> and samples.</summary>
    public static new readonly OptionSchema<IwaeOptions> Schema = new OptionSchema<IwaeOptions>("iwae")
        .Include(VaeOptions.Schema)
        .Int(o => o.Samples, "samples", "[1, 5000]", "K, importance samples per input in the training bound (Burda 2016 use 1, 5, 50)", aliases: ["k"]);

    /// <summary>K, importance samples per input in the training bound.</summary>
    public int Samples { get; init; } = 5;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;
}
