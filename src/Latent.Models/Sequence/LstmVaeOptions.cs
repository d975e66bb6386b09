using Latent.Models.Options;

namespace Latent.Models.Sequence;

/// <summary>
/// Options of the LSTM variational autoencoder (Bowman et al. 2016, "Generating Sentences from a Continuous Space",
/// CoNLL; Park, Hoshi &amp; Kemp 2018, "A Multimodal Anomaly Detector for Robot-Assisted Feeding Using an LSTM-based
/// Variational Autoencoder", IEEE RA-L): the <see cref="LstmAeOptions"/> and β, the weight of the KL term (1 = the ELBO).
/// </summary>
public sealed record LstmVaeOptions : LstmAeOptions
{
    /// <summary>The keys of <see cref="LstmAeOptions.Schema"/> and beta.</summary>
    public static new readonly OptionSchema<LstmVaeOptions> Schema = new OptionSchema<LstmVaeOptions>("lstm-vae")
        .Include(LstmAeOptions.Schema)
        .Real(o => o.Beta, "beta", "[0, inf)", "weight β of the KL term to N(0, I); 1 gives the ELBO");

    /// <summary>Weight β of the KL term.</summary>
    public float Beta { get; init; } = 1f;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

}
