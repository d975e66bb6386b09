using Latent.Models.Autoencoder;

namespace Latent.Models.Contractive;

/// <summary>
/// Options of the contractive autoencoder (Rifai, Vincent, Muller, Glorot &amp; Bengio 2011, "Contractive
/// auto-encoders: explicit invariance during feature extraction", ICML). Defaults follow the paper's CAE: one layer of
/// 1000 sigmoid hidden units (its MNIST models) and logistic outputs with cross-entropy. The paper selects the
/// penalty weight λ on validation data and gives no single value; λ = 0.1 (per-sample sums, as our reconstruction
/// term) is our default. The paper ties the decoder weights; here they are untied.
/// </summary>
public sealed record ContractiveOptions : ModelOptions
{
    /// <summary>The encoder/decoder: 784-1000 with a sigmoid code, Bernoulli output.</summary>
    public AutoencoderOptions Network { get; init; } = new() { Architecture = "784-1000", CodeActivation = "sigmoid" };

    /// <summary>λ: weight of the contractive penalty ‖J_f(x)‖²_F.</summary>
    public float Lambda { get; init; } = 0.1f;

    /// <summary>Closed form when possible (auto), or always exact.</summary>
    public JacobianMethod Jacobian { get; init; } = JacobianMethod.Auto;

    /// <summary>Throws ArgumentException naming the bad option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        Network.Validate();
        if (!(Lambda >= 0f) || float.IsInfinity(Lambda)) throw new ArgumentException($"contractive-ae: lambda {Lambda} must be finite and >= 0", nameof(Lambda));
        if (!Enum.IsDefined(Jacobian)) throw new ArgumentException($"contractive-ae: jacobian {(int)Jacobian} is not auto or exact", nameof(Jacobian));
    }

    /// <summary>Options from "key=value" settings over the defaults: lambda, jacobian (auto|exact) plus the network keys.</summary>
    public static ContractiveOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        const string model = "contractive-ae";
        var defaults = new ContractiveOptions();
        var (network, own) = FamilySettings.Split(model, settings, defaults.Network, "lambda", "jacobian");
        var o = defaults with { Network = network };
        foreach (var (key, value) in own)
        {
            o = key switch
            {
                "lambda" => o with { Lambda = FamilySettings.Float(model, key, value, nameof(Lambda)) },
                _ => o with
                {
                    Jacobian = Enum.TryParse<JacobianMethod>(value, ignoreCase: true, out var m) && Enum.IsDefined(m)
                        ? m
                        : throw new ArgumentException($"{model}: jacobian '{value}' is not auto or exact", nameof(Jacobian)),
                },
            };
        }
        o.Validate();
        return o;
    }

    /// <inheritdoc />
    public override string ToText() =>
        $"{Network.ToText()} lambda={FamilySettings.Text(Lambda)} jacobian={Jacobian.ToString().ToLowerInvariant()}";
}
