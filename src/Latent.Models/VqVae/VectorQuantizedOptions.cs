namespace Latent.Models.VqVae;

/// <summary>
/// The settings VQ-VAE and VQ-VAE-2 share (codebook vectors, trunk, commitment, EMA, restarts, PixelCNN priors); their
/// keys are declared once, in <see cref="VqVaeOptions.Schema"/>, and included by <c>VqVae2Options</c>.
/// </summary>
public abstract record VectorQuantizedOptions : ModelOptions
{
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

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        if (PriorKernel % 2 == 0) throw Invalid("prior_kernel", "must be odd");
    }
}
