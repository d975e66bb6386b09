using System.Globalization;

namespace Latent.Models.VqVae;

/// <summary>
/// Options of the VQ-VAE (van den Oord, Vinyals &amp; Kavukcuoglu 2017, "Neural Discrete Representation Learning",
/// NeurIPS) and of its PixelCNN prior. The paper's encoder (two stride-2 4×4 convolutions, two residual blocks
/// ReLU–3×3–ReLU–1×1, 256 hidden units) is kept in shape but narrowed (64 hidden, 32 in the residual branch) so that
/// Fashion-MNIST trains in minutes on a CPU; β = 0.25 and the EMA decay γ = 0.99 are the paper's.
/// The codebook defaults to K = 128 vectors of D = 16 (the comparison point of the Keras VQ-VAE example on 28×28
/// digits: 7×7 codes, 49·log2 128 = 343 bits per image) instead of the paper's K = 512, D = 64 for 128×128 ImageNet.
/// </summary>
public sealed record VqVaeOptions : ModelOptions
{
    /// <summary>K, the number of codebook vectors.</summary>
    public int CodebookSize { get; init; } = 128;

    /// <summary>D, the size of each codebook vector (the encoder's output channels).</summary>
    public int EmbeddingDim { get; init; } = 16;

    /// <summary>Channels of the encoder/decoder trunk (the paper uses 256).</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Channels inside each residual block's 3×3 convolution.</summary>
    public int ResidualHidden { get; init; } = 32;

    /// <summary>Residual blocks in the encoder and again in the decoder (the paper uses 2).</summary>
    public int ResidualBlocks { get; init; } = 2;

    /// <summary>β, the weight of the commitment loss ‖z_e − sg[e]‖² (paper: 0.25).</summary>
    public float Beta { get; init; } = 0.25f;

    /// <summary>Update the codebook by exponential moving averages (paper, Appendix A.1) instead of the codebook loss.</summary>
    public bool Ema { get; init; }

    /// <summary>γ, the EMA decay (paper: 0.99).</summary>
    public float Decay { get; init; } = 0.99f;

    /// <summary>ε of the Laplace smoothing of the EMA cluster sizes.</summary>
    public float Epsilon { get; init; } = 1e-5f;

    /// <summary>
    /// Dead-code restart: a code not chosen in this many consecutive training steps is re-initialised from a random
    /// encoder output of the batch. 0 = off (the paper has no restarts; 100 is a good value on Fashion-MNIST).
    /// </summary>
    public int RestartAfter { get; init; }

    /// <summary>Gated PixelCNN prior: number of gated layers (the first is mask type A).</summary>
    public int PriorLayers { get; init; } = 8;

    /// <summary>Gated PixelCNN prior: channels of both stacks.</summary>
    public int PriorChannels { get; init; } = 64;

    /// <summary>Gated PixelCNN prior: kernel size of the type-B layers (odd); the type-A layer uses 2·k+1.</summary>
    public int PriorKernel { get; init; } = 3;

    /// <summary>Class-conditional prior: number of classes (a learned per-class bias in every layer); 0 = unconditional.</summary>
    public int PriorClasses { get; init; }

    /// <summary>Checks every option; throws ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        Positive(CodebookSize, nameof(CodebookSize));
        Positive(EmbeddingDim, nameof(EmbeddingDim));
        if (Hidden < 2) throw new ArgumentException($"vq-vae: hidden {Hidden} must be >= 2 (the first layer has hidden/2 channels)", nameof(Hidden));
        Positive(ResidualHidden, nameof(ResidualHidden));
        if (ResidualBlocks < 0) throw new ArgumentException($"vq-vae: residual blocks {ResidualBlocks} must be >= 0", nameof(ResidualBlocks));
        if (!(Beta >= 0f) || float.IsInfinity(Beta)) throw new ArgumentException($"vq-vae: beta {Beta} must be finite and >= 0", nameof(Beta));
        if (!(Decay is > 0f and < 1f)) throw new ArgumentException($"vq-vae: decay {Decay} must be in (0, 1)", nameof(Decay));
        if (!(Epsilon > 0f) || float.IsInfinity(Epsilon)) throw new ArgumentException($"vq-vae: epsilon {Epsilon} must be finite and > 0", nameof(Epsilon));
        if (RestartAfter < 0) throw new ArgumentException($"vq-vae: restart after {RestartAfter} must be >= 0 (0 = off)", nameof(RestartAfter));
        Positive(PriorLayers, nameof(PriorLayers));
        Positive(PriorChannels, nameof(PriorChannels));
        if (PriorKernel < 1 || PriorKernel % 2 == 0) throw new ArgumentException($"vq-vae: prior kernel {PriorKernel} must be odd and >= 1", nameof(PriorKernel));
        if (PriorClasses < 0) throw new ArgumentException($"vq-vae: prior classes {PriorClasses} must be >= 0", nameof(PriorClasses));
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentException($"vq-vae: {name} {value} must be positive", name);
    }

    /// <summary>
    /// Options from "key=value" settings over the defaults. Keys: k, d, hidden, res_hidden, res_blocks, beta, ema
    /// (true|false), decay, eps, restart, prior_layers, prior_channels, prior_kernel, prior_classes.
    /// </summary>
    public static VqVaeOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new VqVaeOptions();
        foreach (var (key, value) in settings)
        {
            o = key.ToLowerInvariant() switch
            {
                "k" or "codebook" => o with { CodebookSize = Int(value, nameof(CodebookSize)) },
                "d" or "dim" => o with { EmbeddingDim = Int(value, nameof(EmbeddingDim)) },
                "hidden" => o with { Hidden = Int(value, nameof(Hidden)) },
                "res_hidden" => o with { ResidualHidden = Int(value, nameof(ResidualHidden)) },
                "res_blocks" => o with { ResidualBlocks = Int(value, nameof(ResidualBlocks)) },
                "beta" => o with { Beta = Float(value, nameof(Beta)) },
                "ema" => o with { Ema = Bool(value, nameof(Ema)) },
                "decay" => o with { Decay = Float(value, nameof(Decay)) },
                "eps" or "epsilon" => o with { Epsilon = Float(value, nameof(Epsilon)) },
                "restart" => o with { RestartAfter = Int(value, nameof(RestartAfter)) },
                "prior_layers" => o with { PriorLayers = Int(value, nameof(PriorLayers)) },
                "prior_channels" => o with { PriorChannels = Int(value, nameof(PriorChannels)) },
                "prior_kernel" => o with { PriorKernel = Int(value, nameof(PriorKernel)) },
                "prior_classes" => o with { PriorClasses = Int(value, nameof(PriorClasses)) },
                _ => throw new ArgumentException($"vq-vae: unknown option '{key}' (expected k, d, hidden, res_hidden, res_blocks, beta, ema, decay, eps, restart, prior_layers, prior_channels, prior_kernel, prior_classes)", nameof(settings)),
            };
        }
        o.Validate();
        return o;
    }

    internal static int Int(string value, string name) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)
            ? v : throw new ArgumentException($"vq-vae: {name} '{value}' is not an integer", name);

    internal static float Float(string value, string name) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float v)
            ? v : throw new ArgumentException($"vq-vae: {name} '{value}' is not a number", name);

    internal static bool Bool(string value, string name) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new ArgumentException($"vq-vae: {name} '{value}' is not true or false", name),
    };

    /// <inheritdoc />
    public override string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"k={CodebookSize} d={EmbeddingDim} hidden={Hidden} res_hidden={ResidualHidden} res_blocks={ResidualBlocks} beta={Beta} ema={(Ema ? "true" : "false")} decay={Decay} eps={Epsilon} restart={RestartAfter} prior_layers={PriorLayers} prior_channels={PriorChannels} prior_kernel={PriorKernel} prior_classes={PriorClasses}");
}
