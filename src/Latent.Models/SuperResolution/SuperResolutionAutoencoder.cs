using Latent.Core;
using Latent.NN.Layers;
using Conv = Latent.NN.Layers.Conv2d;
using ConvT = Latent.NN.Layers.ConvTranspose2d;
using NnLoss = Latent.NN.Losses.Loss;

namespace Latent.Models.SuperResolution;

/// <summary>
/// A super-resolution autoencoder in the manner of SRCNN (Dong, Loy, He &amp; Tang 2014, "Learning a Deep Convolutional
/// Network for Image Super-Resolution", ECCV) with learned upsampling (transposed convolutions, as in FSRCNN, Dong et al.
/// 2016): the training pair of an image x [C, H, W] is its f×f box average x↓ = D_f(x) [C, H/f, W/f] and x itself.
/// The encoder, 3×3 convolutions with ReLU on x↓, gives the code z [F, H/f, W/f]; the decoder doubles the resolution
/// log2 f times (4×4 stride-2 transposed convolution, ReLU) and ends with a 3×3 convolution and a sigmoid. The loss is
/// the squared error to the full-resolution image, summed over pixels and averaged over the batch:
/// <code>
///   L(x) = ‖x − g(f(D_f(x)))‖²
/// </code>
/// so minimising it maximises PSNR. Encode/Reconstruct take the full-resolution x and downsample it themselves, so
/// every command that reconstructs images shows super-resolution; <see cref="Upscale"/> takes a low-resolution image.
/// </summary>
public sealed class SuperResolutionAutoencoder : AutoencoderModel
{
    /// <summary>The registry entry ("sr-ae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<SuperResolutionOptions>("sr-ae",
        "Dong, Loy, He & Tang 2014, Learning a Deep Convolutional Network for Image Super-Resolution, ECCV",
        "super-resolution autoencoder: conv encoder on the f×f box-downsampled image (f = 2 or 4), transposed-conv decoder to full resolution",
        (options, shape, rng) => new SuperResolutionAutoencoder(options, shape, rng));

    private readonly SuperResolutionOptions _options;

    /// <summary>Builds the model for images <paramref name="inputShape"/> = [C, H, W] with H and W divisible by the factor.</summary>
    public SuperResolutionAutoencoder(SuperResolutionOptions options, int[] inputShape, Rng rng) : base(inputShape)
    {
        ModelOptions.Checked(options);
        ArgumentNullException.ThrowIfNull(rng);
        int f = options.Factor;
        if (inputShape.Length != 3 || inputShape[1] % f != 0 || inputShape[2] % f != 0)
            throw new ArgumentException($"sr-ae: input shape {Shapes.Format(inputShape)} must be [C,H,W] with H and W divisible by factor {f} (e.g. [1,28,28])", nameof(inputShape));
        _options = options;
        int c = inputShape[0], hidden = options.Channels;
        LowHeight = inputShape[1] / f;
        LowWidth = inputShape[2] / f;
        var encoder = new Sequential(new Conv(c, hidden, 3, rng, padding: 1), Activation.Relu());
        for (int i = 1; i < options.Layers; i++) encoder.Append(new Conv(hidden, hidden, 3, rng, padding: 1)).Append(Activation.Relu());
        Encoder = Add("encoder", encoder);
        var decoder = new Sequential();
        for (int scale = 1; scale < f; scale *= 2)
            decoder.Append(new ConvT(hidden, hidden, 4, rng, stride: 2, padding: 1)).Append(Activation.Relu());
        decoder.Append(new Conv(hidden, c, 3, rng, padding: 1)).Append(Activation.Sigmoid());
        Decoder = Add("decoder", decoder);
        CodeSize = hidden * LowHeight * LowWidth;
    }

    /// <summary>F·(H/f)·(W/f): the flattened feature maps of the low-resolution image.</summary>
    public override int CodeSize { get; }

    /// <inheritdoc />
    public override ModelOptions Options => _options;

    /// <summary>The upscaling factor f.</summary>
    public int Factor => _options.Factor;

    /// <summary>H/f.</summary>
    public int LowHeight { get; }

    /// <summary>W/f.</summary>
    public int LowWidth { get; }

    /// <summary>x↓ [B, C, H/f, W/f] → features [B, F, H/f, W/f].</summary>
    public Sequential Encoder { get; }

    /// <summary>features [B, F, H/f, W/f] → image [B, C, H, W] in (0, 1).</summary>
    public Sequential Decoder { get; }

    /// <summary>x [B, C, H, W] → its box-downsampled version [B, C, H/f, W/f], the model's input.</summary>
    public Tensor Downsample(Tensor x)
    {
        CheckInput(x, nameof(Downsample));
        return Resampling.Downsample(x, Factor);
    }

    /// <summary>A low-resolution image [B, C, H/f, W/f] → its super-resolved version [B, C, H, W].</summary>
    public Tensor Upscale(Tensor low)
    {
        ArgumentNullException.ThrowIfNull(low);
        if (low.Rank != 4 || low.Shape[1] != InputShape[0] || low.Shape[2] != LowHeight || low.Shape[3] != LowWidth)
            throw new ArgumentException($"sr-ae.Upscale: input {Shapes.Format(low.Shape)} is not [B,{InputShape[0]},{LowHeight},{LowWidth}]", nameof(low));
        return Decoder.Forward(Encoder.Forward(low));
    }

    /// <summary>x [B, C, H, W] → the features of D_f(x), flattened [B, CodeSize].</summary>
    public override Tensor Encode(Tensor x) => Encoder.Forward(Downsample(x)).Reshape(x.Shape[0], CodeSize);

    /// <summary>z [B, CodeSize] → the full-resolution image [B, C, H, W].</summary>
    public override Tensor Decode(Tensor z)
    {
        CheckCode(z, nameof(Decode));
        return Decoder.Forward(z.Reshape(z.Shape[0], _options.Channels, LowHeight, LowWidth));
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var output = Upscale(Resampling.Downsample(x, Factor));
        var reconstruction = NnLoss.Mse(output, x, NN.Losses.Reduction.Sum) * (1f / x.Shape[0]);
        return new LossTerms(total: reconstruction, reconstruction: reconstruction);
    }
}
