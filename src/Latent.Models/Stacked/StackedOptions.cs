using Latent.Models.Autoencoder;

namespace Latent.Models.Stacked;

/// <summary>
/// Options of the stacked autoencoder with greedy layer-wise pretraining (Hinton &amp; Salakhutdinov 2006, "Reducing
/// the dimensionality of data with neural networks", Science 313; autoencoders in place of the RBMs as in Bengio,
/// Lamblin, Popovici &amp; Larochelle 2007, "Greedy layer-wise training of deep networks", NIPS). Defaults are the
/// paper's MNIST network: 784-1000-500-250-30 with logistic hidden units, a linear code and logistic outputs, and
/// 50 passes through the data for each layer's pretraining.
/// </summary>
public sealed record StackedOptions : ModelOptions
{
    /// <summary>The deep MLP (network=mlp only): 784-1000-500-250-30, sigmoid hidden units, linear code, Bernoulli output.</summary>
    public AutoencoderOptions Network { get; init; } = new() { HiddenActivation = "sigmoid" };

    /// <summary>Epochs of pretraining for each layer (0 = no pretraining: the model is then a plain deep autoencoder).</summary>
    public int PretrainEpochs { get; init; } = 50;

    /// <summary>Throws ArgumentException naming the bad option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        Network.Validate();
        if (!string.Equals(Network.Network, "mlp", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"stacked-ae: greedy layer-wise pretraining needs network=mlp, got network={Network.Network}", nameof(Network));
        if (PretrainEpochs < 0) throw new ArgumentException($"stacked-ae: pretrain_epochs {PretrainEpochs} must be >= 0", nameof(PretrainEpochs));
    }

    /// <summary>Options from "key=value" settings over the defaults: pretrain_epochs plus the network keys.</summary>
    public static StackedOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        var defaults = new StackedOptions();
        var (network, own) = FamilySettings.Split("stacked-ae", settings, defaults.Network, "pretrain_epochs");
        var o = defaults with { Network = network };
        if (own.TryGetValue("pretrain_epochs", out var e))
            o = o with { PretrainEpochs = FamilySettings.Int("stacked-ae", "pretrain_epochs", e, nameof(PretrainEpochs)) };
        o.Validate();
        return o;
    }

    /// <inheritdoc />
    public override string ToText() => $"{Network.ToText()} pretrain_epochs={PretrainEpochs}";
}
