using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Contractive;

/// <summary>
/// Options of the contractive autoencoder (Rifai, Vincent, Muller, Glorot &amp; Bengio 2011, "Contractive
/// auto-encoders: explicit invariance during feature extraction", ICML). Defaults follow the paper's CAE: one layer of
/// 1000 sigmoid hidden units (its MNIST models) and logistic outputs with cross-entropy. The paper selects the
/// penalty weight λ on validation data and gives no single value; λ = 0.1 (per-sample sums, as our reconstruction
/// term) is our default. The paper ties the decoder weights; here they are untied unless tied=true.
/// </summary>
public sealed record ContractiveOptions : ModelOptions
{
    /// <summary>The network keys, lambda and jacobian.</summary>
    public static readonly OptionSchema<ContractiveOptions> Schema = new OptionSchema<ContractiveOptions>("contractive-ae")
        .Network(o => o.Network)
        .Real(o => o.Lambda, "lambda", "[0, inf)", "weight λ of the contractive penalty ‖J_f(x)‖²_F (the paper picks it on validation data)")
        .Choice(o => o.Jacobian, "jacobian", "auto: closed form for one sigmoid layer, exact autodiff otherwise; exact: always autodiff");

    /// <summary>The encoder/decoder: 784-1000 with a sigmoid code, Bernoulli output.</summary>
    public AutoencoderOptions Network { get; init; } = new() { Architecture = "784-1000", CodeActivation = "sigmoid" };

    /// <summary>λ: weight of the contractive penalty ‖J_f(x)‖²_F.</summary>
    public float Lambda { get; init; } = 0.1f;

    /// <summary>Closed form when possible (auto), or always exact.</summary>
    public JacobianMethod Jacobian { get; init; } = JacobianMethod.Auto;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;
}
