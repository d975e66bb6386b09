using Latent.Models.Options;

namespace Latent.Models.VqVae;

/// <summary>
/// Options of the VQ-VAE (van den Oord, Vinyals &amp; Kavukcuoglu 2017, "Neural Discrete Representation Learning",
/// NeurIPS) and of its PixelCNN prior. The paper's encoder (two stride-2 4×4 convolutions, two residual blocks
/// ReLU–3×3–ReLU–1×1, 256 hidden units) is kept in shape but narrowed (64 hidden, 32 in the residual branch) so that
/// Fashion-MNIST trains in minutes on a CPU; β = 0.25 and the EMA decay γ = 0.99 are the paper's.
/// The codebook defaults to K = 128 vectors of D = 16 (the comparison point of the Keras VQ-VAE example on 28×28
/// digits: 7×7 codes, 49·log2 128 = 343 bits per image) instead of the paper's K = 512, D = 64 for 128×128 ImageNet.
/// </summary>
public sealed record VqVaeOptions : VectorQuantizedOptions
{
    /// <summary>k and the shared keys of <see cref="VectorQuantizedOptions"/> (d … prior_classes), which VQ-VAE-2 includes.</summary>
    public static readonly OptionSchema<VqVaeOptions> Schema = new OptionSchema<VqVaeOptions>("vq-vae")
        .Int(o => o.CodebookSize, "k", "[1, 65536]", "K, codebook vectors (the Keras VQ-VAE example's comparison point; the paper: 512 on ImageNet)", aliases: ["codebook"])
        .Int(o => o.EmbeddingDim, "d", "[1, inf)", "D, the size of each codebook vector (paper: 64)", aliases: ["dim"])
        .Int(o => o.Hidden, "hidden", "[2, inf)", "trunk channels (paper: 256; narrowed for CPU; the first layer has hidden/2)")
        .Int(o => o.ResidualHidden, "res_hidden", "[1, inf)", "channels in the residual branch")
        .Int(o => o.ResidualBlocks, "res_blocks", "[0, inf)", "residual blocks per stack (paper: 2)")
        .Real(o => o.Beta, "beta", "[0, inf)", "commitment weight β")
        .Bool(o => o.Ema, "ema", "EMA codebook updates (Appendix A.1) instead of the codebook loss")
        .Real(o => o.Decay, "decay", "(0, 1)", "EMA decay γ")
        .Real(o => o.Epsilon, "eps", "(0, inf)", "Laplace smoothing ε of the EMA cluster sizes", aliases: ["epsilon"])
        .Int(o => o.RestartAfter, "restart", "[0, inf)", "restart a code unused for N training steps on an encoder output (0 = off, as in the paper)")
        .Int(o => o.PriorLayers, "prior_layers", "[1, inf)", "gated PixelCNN layers (the first has mask A and kernel 2k+1)")
        .Int(o => o.PriorChannels, "prior_channels", "[1, inf)", "PixelCNN channels")
        .Int(o => o.PriorKernel, "prior_kernel", "[1, inf)", "PixelCNN type-B kernel (odd)")
        .Int(o => o.PriorClasses, "prior_classes", "[0, inf)", "classes of a class-conditional prior (a learned per-class bias in every layer); 0 = unconditional");

    /// <summary>K, the number of codebook vectors.</summary>
    public int CodebookSize { get; init; } = 128;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;
}
