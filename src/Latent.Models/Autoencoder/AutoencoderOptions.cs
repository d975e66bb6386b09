using System.Globalization;
using Latent.NN.Layers;

namespace Latent.Models.Autoencoder;

/// <summary>
/// Options of the plain (deep) autoencoder. The defaults follow Hinton &amp; Salakhutdinov 2006 ("Reducing the
/// dimensionality of data with neural networks", Science 313): a 784-1000-500-250-30 encoder mirrored by the
/// decoder, a linear code layer and logistic outputs trained with cross-entropy. The hidden units default to
/// ReLU (trained end to end with Adam instead of the paper's RBM pre-training, which needs logistic units).
/// </summary>
public sealed record AutoencoderOptions : ModelOptions
{
    /// <summary>Layer sizes from the input to the code, e.g. "784-256-128-20"; the decoder mirrors them.
    /// The first size must equal the number of elements per input sample. Under- and over-complete codes are allowed.</summary>
    public string Architecture { get; init; } = "784-1000-500-250-30";

    /// <summary>Activation after every hidden layer (a name for <see cref="Activation.FromName"/>).</summary>
    public string HiddenActivation { get; init; } = "relu";

    /// <summary>Activation applied to the code; "none" gives the paper's linear code units.</summary>
    public string CodeActivation { get; init; } = "none";

    /// <summary>Output layer and reconstruction loss: logits + BCE (default) or linear + MSE.</summary>
    public OutputDistribution Output { get; init; } = OutputDistribution.Bernoulli;

    /// <summary>The encoder/decoder family (<see cref="AutoencoderNetworks.Names"/>): "mlp", "mlp-bn" (the MLP with batch
    /// normalisation before every hidden activation), or for image inputs [C,H,W]
    /// "conv" (strided convolutions, then the <see cref="Architecture"/> sizes as fully connected layers) or "conv-bn"
    /// (the same with batch normalisation after every hidden convolution).</summary>
    public string Network { get; init; } = "mlp";

    /// <summary>The parsed <see cref="Architecture"/>; ArgumentException naming "Architecture" when it is malformed.</summary>
    public int[] LayerSizes() => ParseArchitecture(Architecture);

    /// <summary>Checks every option; throws ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        _ = LayerSizes();
        _ = ActivationFor(HiddenActivation, nameof(HiddenActivation));
        _ = ActivationFor(CodeActivation, nameof(CodeActivation));
        if (!Enum.IsDefined(Output))
            throw new ArgumentException($"ae: output {(int)Output} is not one of {string.Join(", ", Enum.GetNames<OutputDistribution>())}", nameof(Output));
        if (!AutoencoderNetworks.Names.Contains(Network ?? "", StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"ae: network '{Network}' is not supported (expected {string.Join(", ", AutoencoderNetworks.Names)})", nameof(Network));
    }

    /// <summary>The activation layer called <paramref name="name"/>; ArgumentException naming <paramref name="option"/> otherwise.</summary>
    internal static Activation ActivationFor(string name, string option)
    {
        try
        {
            return Activation.FromName(name ?? "");
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"ae: {option}: {e.Message}", option, e);
        }
    }

    /// <summary>"784-256-128-20" → [784, 256, 128, 20]: at least two positive sizes.</summary>
    public static int[] ParseArchitecture(string architecture)
    {
        if (string.IsNullOrWhiteSpace(architecture))
            throw new ArgumentException("ae: architecture is empty (expected sizes like 784-256-128-20)", nameof(Architecture));
        var parts = architecture.Split('-');
        if (parts.Length < 2)
            throw new ArgumentException($"ae: architecture '{architecture}' needs at least an input and a code size, like 784-32", nameof(Architecture));
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] <= 0)
                throw new ArgumentException($"ae: architecture '{architecture}': '{parts[i]}' (entry {i + 1}) is not a positive integer", nameof(Architecture));
        }
        return sizes;
    }

    /// <summary>Options from "key=value" settings over the defaults. Keys: arch, hidden, code, output (bernoulli|gaussian, or bce|mse), network.</summary>
    public static AutoencoderOptions Parse(IReadOnlyDictionary<string, string> settings) => Parse(settings, new AutoencoderOptions());

    /// <summary>Options from "key=value" settings over <paramref name="defaults"/> (a family's own network defaults); same keys as <see cref="Parse(IReadOnlyDictionary{string, string})"/>.</summary>
    public static AutoencoderOptions Parse(IReadOnlyDictionary<string, string> settings, AutoencoderOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(defaults);
        var o = defaults;
        foreach (var (key, value) in settings)
        {
            o = key.ToLowerInvariant() switch
            {
                "arch" or "architecture" => o with { Architecture = value },
                "hidden" or "activation" => o with { HiddenActivation = value },
                "code" or "code_activation" => o with { CodeActivation = value },
                "output" => o with { Output = ParseOutput(value) },
                "network" => o with { Network = value },
                _ => throw new ArgumentException($"ae: unknown option '{key}' (expected arch, hidden, code, output, network)", nameof(settings)),
            };
        }
        o.Validate();
        return o;
    }

    private static OutputDistribution ParseOutput(string value) => value.ToLowerInvariant() switch
    {
        "bernoulli" or "bce" or "logits" => OutputDistribution.Bernoulli,
        "gaussian" or "mse" or "linear" => OutputDistribution.Gaussian,
        _ => throw new ArgumentException($"ae: output '{value}' is not bernoulli (bce) or gaussian (mse)", nameof(Output)),
    };

    /// <inheritdoc />
    public override string ToText() =>
        $"arch={Architecture} hidden={HiddenActivation} code={CodeActivation} output={Output.ToString().ToLowerInvariant()} network={Network}";
}
