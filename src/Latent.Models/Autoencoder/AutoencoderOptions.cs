using Latent.Models.Options;
using Latent.NN.Layers;

namespace Latent.Models.Autoencoder;

/// <summary>
/// Options of the plain (deep) autoencoder. The defaults follow Hinton &amp; Salakhutdinov 2006 ("Reducing the
/// dimensionality of data with neural networks", Science 313): a 784-1000-500-250-30 encoder mirrored by the
/// decoder, a linear code layer and logistic outputs trained with cross-entropy. The hidden units default to
/// ReLU (trained end to end with Adam instead of the paper's RBM pre-training, which needs logistic units).
/// Its <see cref="Schema"/> declares the network keys every family with an encoder/decoder reuses.
/// </summary>
public sealed record AutoencoderOptions : EncoderDecoderOptions
{
    private static readonly string[] ActivationSynonyms = ["leakyrelu", "none", "linear"];

    /// <summary>
    /// The network keys, declared once: arch, hidden, code, output, network. Families with a nested network record add
    /// them with <see cref="OptionSchema{T}.Network"/>, those deriving from <see cref="EncoderDecoderOptions"/> with
    /// <see cref="OptionSchema{T}.Include"/>.
    /// </summary>
    public static readonly OptionSchema<AutoencoderOptions> Schema = new OptionSchema<AutoencoderOptions>("ae")
        .Sizes(o => o.Architecture, "arch", 2, "sizes IN-…-CODE",
            "layer sizes from the input to the code, the decoder mirrors them; the first is fitted to the data, `--code` sets the last",
            role: OptionRole.Architecture, aliases: ["architecture"])
        .OneOf(o => o.HiddenActivation, "hidden", Activation.Names, "activation after every hidden layer", ActivationSynonyms, aliases: ["activation"])
        .OneOf(o => o.CodeActivation, "code", ["none", .. Activation.Names], "activation on the code (none = linear)", ActivationSynonyms, aliases: ["code_activation"])
        .Choice(o => o.Output, "output", "bernoulli: logits + cross-entropy, data in [0, 1]; gaussian: linear + squared error (tables); tanh: tanh + squared error on data in [0, 1] mapped to [-1, 1] (the plain-network families)",
            ("bce", OutputDistribution.Bernoulli), ("logits", OutputDistribution.Bernoulli), ("mse", OutputDistribution.Gaussian), ("linear", OutputDistribution.Gaussian))
        .OneOf(o => o.Network, "network", AutoencoderNetworks.Names,
            "encoder/decoder: mlp, mlp-bn (batch norm), conv or conv-bn for images [C,H,W], conv1d for sequences [C,L] (docs/models/networks.md)")
        .Bool(o => o.Tied, "tied", "decoder weights are the encoder's transposed (W_dec = W_encᵀ, shared; own biases); mlp and mlp-bn networks only")
        .Real(o => o.ActivityL2, "activity_l2", "[0, inf)", "weight λ of the L2 activity penalty λ·mean_b ‖z_b‖² on the code (the loss term activity_l2; 0 = off)");

    /// <summary>Activation applied to the code; "none" gives the paper's linear code units.</summary>
    public string CodeActivation { get; init; } = "none";

    /// <summary>
    /// Tied weights: every decoder Linear uses the transposed weight of its mirror encoder Linear (W_dec = W_encᵀ, one
    /// shared parameter; each decoder layer keeps its own bias), as in Vincent et al. 2008. A linear tied autoencoder
    /// trained with squared error spans the principal subspace (Baldi &amp; Hornik 1989). MLP networks only.
    /// </summary>
    public bool Tied { get; init; }

    /// <summary>
    /// λ of the L2 activity regulariser on the code (Keras' <c>activity_regularizer=l2(λ)</c>): λ · (1/B) Σ_b ‖z_b‖² is added to
    /// the loss as the term "activity_l2". 0 (the default) adds nothing.
    /// </summary>
    public float ActivityL2 { get; init; }

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        base.CheckCombinations();
        if (NetworkConflict() is { } conflict) throw Invalid(conflict.Key, conflict.What);
    }

    /// <summary>
    /// The first option of this network that contradicts another one (its key and what is wrong), or null: a family that
    /// nests these options (<see cref="OptionSchema{T}.Network"/>) reports it under its own name.
    /// </summary>
    internal (string Key, string What)? NetworkConflict() =>
        Tied && !Network.StartsWith("mlp", StringComparison.OrdinalIgnoreCase)
            ? ("tied", $"needs network=mlp or mlp-bn: the decoder of network={Network} does not mirror the encoder's Linear layers")
            : null;

    /// <inheritdoc />
    protected override bool TanhOutputSupported => true;

    /// <summary>The activation layer called <paramref name="name"/>; ArgumentException naming <paramref name="option"/> otherwise.</summary>
    internal static Activation ActivationFor(string name, string option)
    {
        try { return Activation.FromName(name ?? ""); }
        catch (ArgumentException e) { throw new ArgumentException($"ae: {option}: {e.Message}", option, e); }
    }

    /// <summary>"784-256-128-20" → [784, 256, 128, 20]: at least two positive sizes; ArgumentException naming "Architecture" otherwise.</summary>
    public static int[] ParseArchitecture(string architecture) =>
        OptionSpec.ParseSizes(architecture, 2, null, out var sizes) is { } error
            ? throw new ArgumentException($"architecture '{architecture}': {error}", nameof(Architecture))
            : sizes;
}
