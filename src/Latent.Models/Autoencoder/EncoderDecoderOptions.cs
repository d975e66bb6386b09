namespace Latent.Models.Autoencoder;

/// <summary>
/// The encoder/decoder settings that <see cref="AutoencoderNetworks"/> builds from, shared by the families that own them
/// directly (<see cref="AutoencoderOptions"/>, <c>VaeOptions</c>, <c>AaeOptions</c>); their keys (arch, hidden, output,
/// network) are declared once, in <see cref="AutoencoderOptions.Schema"/>. Defaults are the plain autoencoder's; a family
/// sets its own in its constructor.
/// </summary>
public abstract record EncoderDecoderOptions : ModelOptions
{
    /// <summary>Layer sizes from the input to the code, e.g. "784-256-128-20"; the decoder mirrors them.
    /// The first size must equal the number of elements per input sample. Under- and over-complete codes are allowed.</summary>
    public string Architecture { get; init; } = "784-1000-500-250-30";

    /// <summary>Activation after every hidden layer (a name for <see cref="Latent.NN.Layers.Activation.FromName"/>).</summary>
    public string HiddenActivation { get; init; } = "relu";

    /// <summary>Output layer and reconstruction loss: logits + BCE (default) or linear + MSE.</summary>
    public OutputDistribution Output { get; init; } = OutputDistribution.Bernoulli;

    /// <summary>The encoder/decoder family (<see cref="AutoencoderNetworks.Names"/>): "mlp", "mlp-bn" (the MLP with batch
    /// normalisation before every hidden activation), or for image inputs [C,H,W]
    /// "conv" (strided convolutions, then the <see cref="Architecture"/> sizes as fully connected layers) or "conv-bn"
    /// (the same with batch normalisation after every hidden convolution), or for sequences [C,L] "conv1d" (strided 1-D
    /// convolutions along L).</summary>
    public string Network { get; init; } = "mlp";

    /// <summary>Whether the family implements <see cref="OutputDistribution.Tanh"/> (the plain-network families do; the
    /// VAE families, whose likelihood is their own, do not).</summary>
    protected virtual bool TanhOutputSupported => false;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        if (Output == OutputDistribution.Tanh && !TanhOutputSupported)
            throw Invalid("output", $"tanh is implemented for the plain-network autoencoders (ae, dae, sparse-ae, aae, ...), not for {GetSchema().Model}");
    }

    /// <summary>The parsed <see cref="Architecture"/>; ArgumentException naming "Architecture" when it is malformed.</summary>
    public int[] LayerSizes() => AutoencoderOptions.ParseArchitecture(Architecture);

    /// <summary>
    /// The <see cref="AutoencoderOptions"/> that <see cref="AutoencoderNetworks.Build"/> turns into this encoder/decoder with
    /// linear code units, the code resized to <paramref name="codeSize"/> units when given (2Z for a VAE's encoder).
    /// </summary>
    public AutoencoderOptions NetworkOptions(int? codeSize = null)
    {
        var sizes = LayerSizes();
        sizes[^1] = codeSize ?? sizes[^1];
        return new() { Architecture = string.Join('-', sizes), HiddenActivation = HiddenActivation, CodeActivation = "none", Output = Output, Network = Network };
    }
}
