using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Dropout;

/// <summary>
/// Options of the dropout autoencoder: the plain deep autoencoder's network with dropout (Srivastava, Hinton,
/// Krizhevsky, Sutskever &amp; Salakhutdinov 2014, "Dropout: a simple way to prevent neural networks from overfitting",
/// JMLR 15) after the hidden layers. The default rate p = 0.5 is the paper's choice for hidden units.
/// </summary>
public sealed record DropoutOptions : ModelOptions
{
    /// <summary>The network keys, rate and placement.</summary>
    public static readonly OptionSchema<DropoutOptions> Schema = new OptionSchema<DropoutOptions>("dropout-ae")
        .Network(o => o.Network)
        .Real(o => o.Rate, "rate", "[0, 1)", "drop probability p of every hidden unit during training (the paper's value for hidden units)")
        .Choice(o => o.Placement, "placement", "which hidden layers get dropout");

    /// <summary>The encoder/decoder (the plain autoencoder's defaults, 784-1000-500-250-30 ReLU). It needs at least one hidden layer.</summary>
    public AutoencoderOptions Network { get; init; } = new();

    /// <summary>Drop probability p of every hidden unit during training, in [0, 1).</summary>
    public float Rate { get; init; } = 0.5f;

    /// <summary>Which hidden layers get dropout.</summary>
    public DropoutPlacement Placement { get; init; } = DropoutPlacement.Both;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        if (Network.Network.StartsWith("mlp", StringComparison.OrdinalIgnoreCase) && Network.LayerSizes().Length < 3)
            throw Invalid("arch", "has no hidden layer to apply dropout to (use e.g. 784-256-32)");
    }
}
