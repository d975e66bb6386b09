using Latent.Models.Autoencoder;
using Latent.Models.Options;

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
    /// <summary>The network keys and pretrain_epochs.</summary>
    public static readonly OptionSchema<StackedOptions> Schema = new OptionSchema<StackedOptions>("stacked-ae")
        .Network(o => o.Network)
        .Int(o => o.PretrainEpochs, "pretrain_epochs", "[0, inf)", "epochs of pretraining per layer (the paper's 50 passes per RBM); 0 = a plain deep autoencoder");

    /// <summary>The deep MLP (network=mlp only): 784-1000-500-250-30, sigmoid hidden units, linear code, Bernoulli output.</summary>
    public AutoencoderOptions Network { get; init; } = new() { HiddenActivation = "sigmoid" };

    /// <summary>Epochs of pretraining for each layer (0 = no pretraining: the model is then a plain deep autoencoder).</summary>
    public int PretrainEpochs { get; init; } = 50;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        if (!string.Equals(Network.Network, "mlp", StringComparison.OrdinalIgnoreCase))
            throw Invalid("network", "greedy layer-wise pretraining needs network=mlp");
        if (Network.Output == OutputDistribution.Tanh)
            throw Invalid("output", "greedy layer-wise pretraining trains the first layer on the data as given; use bernoulli or gaussian");
    }
}
