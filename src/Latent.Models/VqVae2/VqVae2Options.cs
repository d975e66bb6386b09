using System.Globalization;
using Latent.Models.VqVae;

namespace Latent.Models.VqVae2;

/// <summary>
/// Options of the two-level VQ-VAE-2 (Razavi, van den Oord &amp; Vinyals 2019, "Generating Diverse High-Fidelity Images
/// with VQ-VAE-2", NeurIPS). As in the paper the codebooks learn by EMA (γ = 0.99) and β = 0.25; the paper's K = 512,
/// D = 64 and 128 hidden units are scaled down for 28×28/32×32 images on a CPU: D = 16, 64 hidden, and K = 128 per level
/// (bits per image = h_b·w_b·log2 K_b + h_t·w_t·log2 K_t; 28×28 gives 7×7 bottom and 4×4 top maps).
/// </summary>
public sealed record VqVae2Options : ModelOptions
{
    /// <summary>K_t, codebook size of the top level.</summary>
    public int TopCodebookSize { get; init; } = 128;

    /// <summary>K_b, codebook size of the bottom level.</summary>
    public int BottomCodebookSize { get; init; } = 128;

    /// <summary>D, size of the codebook vectors of both levels.</summary>
    public int EmbeddingDim { get; init; } = 16;

    /// <summary>Channels of the encoder/decoder trunks.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Channels inside the residual blocks.</summary>
    public int ResidualHidden { get; init; } = 32;

    /// <summary>Residual blocks per stack.</summary>
    public int ResidualBlocks { get; init; } = 2;

    /// <summary>β, commitment weight (0.25).</summary>
    public float Beta { get; init; } = 0.25f;

    /// <summary>EMA codebooks (the paper's choice) instead of the codebook loss.</summary>
    public bool Ema { get; init; } = true;

    /// <summary>γ, the EMA decay.</summary>
    public float Decay { get; init; } = 0.99f;

    /// <summary>ε of the Laplace smoothing.</summary>
    public float Epsilon { get; init; } = 1e-5f;

    /// <summary>Dead-code restart after this many unused steps; 0 = off (as in the paper).</summary>
    public int RestartAfter { get; init; }

    /// <summary>Gated layers of each prior.</summary>
    public int PriorLayers { get; init; } = 8;

    /// <summary>Channels of each prior.</summary>
    public int PriorChannels { get; init; } = 64;

    /// <summary>Kernel of the priors' type-B layers (odd).</summary>
    public int PriorKernel { get; init; } = 3;

    /// <summary>Classes of a class-conditional prior pair; 0 = unconditional.</summary>
    public int PriorClasses { get; init; }

    /// <summary>Causal multi-head self-attention in the top prior (PixelSNAIL-style, as in the paper's top prior, §3.2).</summary>
    public bool PriorAttention { get; init; } = true;

    /// <summary>Heads of the top prior's attention blocks; must divide <see cref="PriorChannels"/>.</summary>
    public int PriorHeads { get; init; } = 4;

    /// <summary>Checks every option; throws ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        if (TopCodebookSize <= 0) throw new ArgumentException($"vq-vae-2: top codebook size {TopCodebookSize} must be positive", nameof(TopCodebookSize));
        if (BottomCodebookSize <= 0) throw new ArgumentException($"vq-vae-2: bottom codebook size {BottomCodebookSize} must be positive", nameof(BottomCodebookSize));
        if (PriorAttention && (PriorHeads <= 0 || PriorChannels % PriorHeads != 0))
            throw new ArgumentException($"vq-vae-2: prior heads {PriorHeads} must be positive and divide prior channels {PriorChannels}", nameof(PriorHeads));
        // The shared checks (D, hidden, β, γ, ε, priors) are those of the one-level model.
        try { Level(BottomCodebookSize).Validate(); }
        catch (ArgumentException e) { throw new ArgumentException(e.Message.Replace("vq-vae:", "vq-vae-2:", StringComparison.Ordinal), e.ParamName, e); }
    }

    /// <summary>The one-level options with the same shared settings and codebook size <paramref name="k"/>.</summary>
    internal VqVaeOptions Level(int k) => new()
    {
        CodebookSize = k, EmbeddingDim = EmbeddingDim, Hidden = Hidden, ResidualHidden = ResidualHidden, ResidualBlocks = ResidualBlocks,
        Beta = Beta, Ema = Ema, Decay = Decay, Epsilon = Epsilon, RestartAfter = RestartAfter,
        PriorLayers = PriorLayers, PriorChannels = PriorChannels, PriorKernel = PriorKernel, PriorClasses = PriorClasses,
    };

    /// <summary>Options from "key=value" settings: k_top, k_bottom, d, hidden, res_hidden, res_blocks, beta, ema, decay, eps, restart, prior_layers, prior_channels, prior_kernel, prior_classes, prior_attention, prior_heads.</summary>
    public static VqVae2Options Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new VqVae2Options();
        foreach (var (key, value) in settings)
        {
            o = key.ToLowerInvariant() switch
            {
                "k_top" => o with { TopCodebookSize = VqVaeOptions.Int(value, nameof(TopCodebookSize)) },
                "k_bottom" => o with { BottomCodebookSize = VqVaeOptions.Int(value, nameof(BottomCodebookSize)) },
                "d" or "dim" => o with { EmbeddingDim = VqVaeOptions.Int(value, nameof(EmbeddingDim)) },
                "hidden" => o with { Hidden = VqVaeOptions.Int(value, nameof(Hidden)) },
                "res_hidden" => o with { ResidualHidden = VqVaeOptions.Int(value, nameof(ResidualHidden)) },
                "res_blocks" => o with { ResidualBlocks = VqVaeOptions.Int(value, nameof(ResidualBlocks)) },
                "beta" => o with { Beta = VqVaeOptions.Float(value, nameof(Beta)) },
                "ema" => o with { Ema = VqVaeOptions.Bool(value, nameof(Ema)) },
                "decay" => o with { Decay = VqVaeOptions.Float(value, nameof(Decay)) },
                "eps" or "epsilon" => o with { Epsilon = VqVaeOptions.Float(value, nameof(Epsilon)) },
                "restart" => o with { RestartAfter = VqVaeOptions.Int(value, nameof(RestartAfter)) },
                "prior_layers" => o with { PriorLayers = VqVaeOptions.Int(value, nameof(PriorLayers)) },
                "prior_channels" => o with { PriorChannels = VqVaeOptions.Int(value, nameof(PriorChannels)) },
                "prior_kernel" => o with { PriorKernel = VqVaeOptions.Int(value, nameof(PriorKernel)) },
                "prior_classes" => o with { PriorClasses = VqVaeOptions.Int(value, nameof(PriorClasses)) },
                "prior_attention" => o with { PriorAttention = VqVaeOptions.Bool(value, nameof(PriorAttention)) },
                "prior_heads" => o with { PriorHeads = VqVaeOptions.Int(value, nameof(PriorHeads)) },
                _ => throw new ArgumentException($"vq-vae-2: unknown option '{key}' (expected k_top, k_bottom, d, hidden, res_hidden, res_blocks, beta, ema, decay, eps, restart, prior_layers, prior_channels, prior_kernel, prior_classes, prior_attention, prior_heads)", nameof(settings)),
            };
        }
        o.Validate();
        return o;
    }

    /// <inheritdoc />
    public override string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"k_top={TopCodebookSize} k_bottom={BottomCodebookSize} d={EmbeddingDim} hidden={Hidden} res_hidden={ResidualHidden} res_blocks={ResidualBlocks} beta={Beta} ema={(Ema ? "true" : "false")} decay={Decay} eps={Epsilon} restart={RestartAfter} prior_layers={PriorLayers} prior_channels={PriorChannels} prior_kernel={PriorKernel} prior_classes={PriorClasses} prior_attention={(PriorAttention ? "true" : "false")} prior_heads={PriorHeads}");
}
