using Latent.Models.Options;
using Latent.Models.VqVae;

namespace Latent.Models.VqVae2;

/// <summary>
/// Options of the two-level VQ-VAE-2 (Razavi, van den Oord &amp; Vinyals 2019, "Generating Diverse High-Fidelity Images
/// with VQ-VAE-2", NeurIPS). As in the paper the codebooks learn by EMA (γ = 0.99) and β = 0.25; the paper's K = 512,
/// D = 64 and 128 hidden units are scaled down for 28×28/32×32 images on a CPU: D = 16, 64 hidden, and K = 128 per level
/// (bits per image = h_b·w_b·log2 K_b + h_t·w_t·log2 K_t; 28×28 gives 7×7 bottom and 4×4 top maps).
/// </summary>
public sealed record VqVae2Options : VectorQuantizedOptions
{
    /// <summary>k_top, k_bottom, the shared keys of <see cref="VqVaeOptions.Schema"/>, prior_attention and prior_heads.</summary>
    public static readonly OptionSchema<VqVae2Options> Schema = new OptionSchema<VqVae2Options>("vq-vae-2")
        .Int(o => o.TopCodebookSize, "k_top", "[1, 65536]", "K_t, codebook size of the top level (paper: 512)")
        .Int(o => o.BottomCodebookSize, "k_bottom", "[1, 65536]", "K_b, codebook size of the bottom level (paper: 512)")
        .Include(VqVaeOptions.Schema, "d", "hidden", "res_hidden", "res_blocks", "beta", "ema", "decay", "eps", "restart",
            "prior_layers", "prior_channels", "prior_kernel", "prior_classes")
        .Bool(o => o.PriorAttention, "prior_attention", "causal multi-head self-attention in the top prior (PixelSNAIL-style, the paper's §3.2)")
        .Int(o => o.PriorHeads, "prior_heads", "[0, inf)", "heads of the top prior's attention blocks; with prior_attention at least 1 and a divisor of prior_channels");

    /// <summary>EMA codebooks, as in the paper.</summary>
    public VqVae2Options()
    {
        Ema = true;
    }

    /// <summary>K_t, codebook size of the top level.</summary>
    public int TopCodebookSize { get; init; } = 128;

    /// <summary>K_b, codebook size of the bottom level.</summary>
    public int BottomCodebookSize { get; init; } = 128;

    /// <summary>Causal multi-head self-attention in the top prior (PixelSNAIL-style, as in the paper's top prior, §3.2).</summary>
    public bool PriorAttention { get; init; } = true;

    /// <summary>Heads of the top prior's attention blocks; must divide <see cref="VectorQuantizedOptions.PriorChannels"/>.</summary>
    public int PriorHeads { get; init; } = 4;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        base.CheckCombinations();
        if (PriorAttention && (PriorHeads < 1 || PriorChannels % PriorHeads != 0))
            throw Invalid("prior_heads", $"must be at least 1 and divide prior_channels {PriorChannels} (prior_attention=true)");
    }
}
