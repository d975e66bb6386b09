using Latent.Models.Autoencoder;

namespace Latent.Models.Dropout;

/// <summary>
/// Options of the dropout autoencoder: the plain deep autoencoder's network with dropout (Srivastava, Hinton,
/// Krizhevsky, Sutskever &amp; Salakhutdinov 2014, "Dropout: a simple way to prevent neural networks from overfitting",
/// JMLR 15) after the hidden layers. The default rate p = 0.5 is the paper's choice for hidden units.
/// </summary>
public sealed record DropoutOptions : ModelOptions
{
    /// <summary>The encoder/decoder (the plain autoencoder's defaults, 784-1000-500-250-30 ReLU). It needs at least one hidden layer.</summary>
    public AutoencoderOptions Network { get; init; } = new();

    /// <summary>Drop probability p of every hidden unit during training, in [0, 1).</summary>
    public float Rate { get; init; } = 0.5f;

    /// <summary>Which hidden layers get dropout.</summary>
    public DropoutPlacement Placement { get; init; } = DropoutPlacement.Both;

    /// <summary>Throws ArgumentException naming the bad option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        Network.Validate();
        if (!(Rate is >= 0f and < 1f))
            throw new ArgumentException($"dropout-ae: rate {Rate} must be in [0, 1)", nameof(Rate));
        if (!Enum.IsDefined(Placement))
            throw new ArgumentException($"dropout-ae: placement {(int)Placement} is not one of {string.Join(", ", Enum.GetNames<DropoutPlacement>())}", nameof(Placement));
        if (Network.Network.StartsWith("mlp", StringComparison.OrdinalIgnoreCase) && Network.LayerSizes().Length < 3)
            throw new ArgumentException($"dropout-ae: architecture '{Network.Architecture}' has no hidden layer to apply dropout to (use e.g. 784-256-32)", nameof(Network));
    }

    /// <summary>Options from "key=value" settings over the defaults: rate, placement (both|encoder|decoder) plus the network keys.</summary>
    public static DropoutOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        var defaults = new DropoutOptions();
        var (network, own) = FamilySettings.Split("dropout-ae", settings, defaults.Network, "rate", "placement");
        var o = defaults with { Network = network };
        foreach (var (key, value) in own)
        {
            o = key switch
            {
                "rate" => o with { Rate = FamilySettings.Float("dropout-ae", key, value, nameof(Rate)) },
                _ => o with
                {
                    Placement = Enum.TryParse<DropoutPlacement>(value, ignoreCase: true, out var p) && Enum.IsDefined(p)
                        ? p
                        : throw new ArgumentException($"dropout-ae: placement '{value}' is not both, encoder or decoder", nameof(Placement)),
                },
            };
        }
        o.Validate();
        return o;
    }

    /// <inheritdoc />
    public override string ToText() =>
        $"{Network.ToText()} rate={FamilySettings.Text(Rate)} placement={Placement.ToString().ToLowerInvariant()}";
}
