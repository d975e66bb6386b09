using Latent.Models.Options;

namespace Latent.Models.SuperResolution;

/// <summary>
/// Options of the super-resolution autoencoder: the downsampling factor of its training pairs and the width and depth
/// of its convolutional encoder. The defaults (×4, 32 channels, 3 layers) are our choice, small enough to train on a CPU.
/// </summary>
public sealed record SuperResolutionOptions : ModelOptions
{
    /// <summary>factor, channels, layers.</summary>
    public static readonly OptionSchema<SuperResolutionOptions> Schema = new OptionSchema<SuperResolutionOptions>("sr-ae")
        .Int(o => o.Factor, "factor", "[2, 4]", "upscaling factor f (2 or 4): the input is the f×f box average of the image")
        .Int(o => o.Channels, "channels", "[1, 1024]", "feature maps of every hidden convolution")
        .Int(o => o.Layers, "layers", "[1, 16]", "3×3 convolutions (with ReLU) of the encoder on the low-resolution image");

    /// <summary>The upscaling factor f: 2 or 4.</summary>
    public int Factor { get; init; } = 4;

    /// <summary>Feature maps of every hidden convolution.</summary>
    public int Channels { get; init; } = 32;

    /// <summary>3×3 convolutions of the encoder.</summary>
    public int Layers { get; init; } = 3;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        if (Factor == 3) throw Invalid("factor", "must be 2 or 4");
    }
}
