using Latent.Core;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.Autoencoder;

/// <summary>
/// Builds the encoder and decoder of an autoencoder from its options: the seam every model family reuses, so each
/// of them can be an MLP ("mlp") or, for image inputs, convolutional ("conv", "conv-bn") by one option, or for
/// sequences [C, L] of numbers convolutional along L ("conv1d").
/// </summary>
public static class AutoencoderNetworks
{
    /// <summary>The values <see cref="EncoderDecoderOptions.Network"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mlp", "mlp-bn", "conv", "conv-bn", "conv1d"];

    /// <summary>The encoder and decoder for samples of <paramref name="inputShape"/>.</summary>
    /// <param name="options">Architecture, activations and network family.</param>
    /// <param name="inputShape">One sample's shape, e.g. [1,28,28].</param>
    /// <param name="rng">Initialisation stream.</param>
    /// <param name="encoderHidden">Makes a layer appended after every hidden activation of the encoder (e.g. dropout), or null.</param>
    /// <param name="decoderHidden">The same for the decoder, or null.</param>
    public static EncoderDecoder Build(AutoencoderOptions options, int[] inputShape, Rng rng,
        Func<Layer>? encoderHidden = null, Func<Layer>? decoderHidden = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        return options.Network.ToLowerInvariant() switch
        {
            "mlp" => Mlp(options, inputShape, rng, encoderHidden, decoderHidden),
            "mlp-bn" => Mlp(options, inputShape, rng, encoderHidden, decoderHidden, batchNorm: true),
            "conv" => Conv(options, inputShape, rng, batchNorm: false, encoderHidden, decoderHidden),
            "conv-bn" => Conv(options, inputShape, rng, batchNorm: true, encoderHidden, decoderHidden),
            "conv1d" => Conv1d(options, inputShape, rng, encoderHidden, decoderHidden),
            _ => throw new ArgumentException($"ae: network '{options.Network}' is not supported", nameof(options)),
        };
    }

    /// <summary>
    /// Mirrored MLPs. Encoder: flatten, then Linear(s₀→s₁), act, ..., Linear(s_{n−1}→s_n), code activation.
    /// Decoder: Linear(s_n→s_{n−1}), act, ..., Linear(s₁→s₀), reshape to the input shape (no output activation:
    /// the model applies sigmoid for Bernoulli outputs). With <paramref name="batchNorm"/> ("mlp-bn") a BatchNorm1d
    /// follows every hidden Linear layer, before its activation (Ioffe &amp; Szegedy 2015); the code and output layers
    /// have none. With <see cref="AutoencoderOptions.Tied"/> each decoder Linear is a <see cref="TiedLinear"/>: the
    /// transposed weight of its mirror encoder layer, shared, with a bias of its own. With a tanh output
    /// (<see cref="OutputDistribution.Tanh"/>) the encoder starts with x ↦ 2x − 1 (every network family does).
    /// </summary>
    public static EncoderDecoder Mlp(AutoencoderOptions options, int[] inputShape, Rng rng,
        Func<Layer>? encoderHidden = null, Func<Layer>? decoderHidden = null, bool batchNorm = false)
    {
        var sizes = options.LayerSizes();
        int inputSize = Shapes.Size(inputShape);
        if (sizes[0] != inputSize)
            throw new ArgumentException(
                $"ae: architecture '{options.Architecture}' starts with {sizes[0]} but a sample of shape {Shapes.Format(inputShape)} has {inputSize} elements",
                nameof(options));

        var encoder = InputLayers(options);
        encoder.Append(new BatchReshape([inputSize]));
        var encoderLinears = new List<Linear>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            var linear = new Linear(sizes[i], sizes[i + 1], rng);
            encoder.Append(linear);
            encoderLinears.Add(linear);
            if (i + 2 < sizes.Length)
            {
                if (batchNorm) encoder.Append(new BatchNorm1d(sizes[i + 1]));
                AppendHidden(encoder, options, encoderHidden);
            }
        }
        var codeAct = AutoencoderOptions.ActivationFor(options.CodeActivation, nameof(options.CodeActivation));
        if (codeAct.Name != "identity") encoder.Append(codeAct);

        var decoder = new Sequential();
        for (int i = sizes.Length - 1; i > 0; i--)
        {
            // Tied: decoder layer i is encoder layer i − 1 transposed (sizes[i] → sizes[i − 1]) with its own bias.
            decoder.Append(options.Tied ? new TiedLinear(encoderLinears[i - 1], rng) : new Linear(sizes[i], sizes[i - 1], rng));
            if (i > 1)
            {
                if (batchNorm) decoder.Append(new BatchNorm1d(sizes[i - 1]));
                AppendHidden(decoder, options, decoderHidden);
            }
        }
        decoder.Append(new BatchReshape(inputShape));
        return new EncoderDecoder(encoder, decoder, sizes[^1]);
    }

    /// <summary>
    /// Convolutional encoder/decoder for images [C,H,W] (the DCGAN-style trunk of Radford et al. 2016 without pooling):
    /// encoder Conv(C→32, k4, s2, p1), act, Conv(32→64, k4, s2, p1), act [, Conv(64→128, k4, s2, p1), act when
    /// H, W ≥ 64], flatten to F = C_L·(H/2^L)·(W/2^L) features, then the <see cref="EncoderDecoderOptions.Architecture"/>
    /// sizes as fully connected layers with F in place of the input size (s₀ must still equal C·H·W), code activation.
    /// Decoder: the mirrored Linear layers up to F, act, unflatten, ConvTranspose(k4, s2, p1) layers that exactly
    /// double H and W, the last one to C channels with no activation (logits or linear output).
    /// Each k4/s2/p1 layer maps a side n to ⌊(n + 2 − 4)/2⌋ + 1 = n/2 for even n, and the transposed one 2n back:
    /// 28→14→7, 32→16→8, 64→32→16→8. With <paramref name="batchNorm"/> ("conv-bn") a BatchNorm2d follows every
    /// hidden (transposed) convolution, before its activation (Ioffe &amp; Szegedy 2015).
    /// </summary>
    /// <exception cref="ArgumentException">The input is not [C,H,W], or H or W is not a multiple of 2^L.</exception>
    public static EncoderDecoder Conv(AutoencoderOptions options, int[] inputShape, Rng rng, bool batchNorm,
        Func<Layer>? encoderHidden = null, Func<Layer>? decoderHidden = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(rng);
        RefuseTied(options);
        var sizes = options.LayerSizes();
        var (channels, h, w) = ConvGeometry(inputShape, options.Network);
        int inputSize = channels * h * w;
        if (sizes[0] != inputSize)
            throw new ArgumentException(
                $"ae: architecture '{options.Architecture}' starts with {sizes[0]} but a sample of shape {Shapes.Format(inputShape)} has {inputSize} elements",
                nameof(options));
        int stages = ConvStages(h, w);
        var widths = new int[stages + 1];
        widths[0] = channels;
        for (int l = 1; l <= stages; l++) widths[l] = 16 << l; // 32, 64, 128
        int ho = h >> stages, wo = w >> stages;
        int features = widths[stages] * ho * wo;

        var encoder = InputLayers(options);
        for (int l = 0; l < stages; l++)
        {
            encoder.Append(new Latent.NN.Layers.Conv2d(widths[l], widths[l + 1], 4, rng, stride: 2, padding: 1));
            if (batchNorm) encoder.Append(new BatchNorm2d(widths[l + 1]));
            AppendHidden(encoder, options, encoderHidden);
        }
        encoder.Append(new Flatten());
        var fc = (int[])sizes.Clone();
        fc[0] = features;
        for (int i = 0; i + 1 < fc.Length; i++)
        {
            encoder.Append(new Linear(fc[i], fc[i + 1], rng));
            if (i + 2 < fc.Length) AppendHidden(encoder, options, encoderHidden);
        }
        var codeAct = AutoencoderOptions.ActivationFor(options.CodeActivation, nameof(options.CodeActivation));
        if (codeAct.Name != "identity") encoder.Append(codeAct);

        var decoder = new Sequential();
        for (int i = fc.Length - 1; i > 0; i--)
        {
            decoder.Append(new Linear(fc[i], fc[i - 1], rng));
            AppendHidden(decoder, options, decoderHidden);
        }
        decoder.Append(new Unflatten(1, [widths[stages], ho, wo]));
        for (int l = stages; l > 0; l--)
        {
            decoder.Append(new Latent.NN.Layers.ConvTranspose2d(widths[l], widths[l - 1], 4, rng, stride: 2, padding: 1));
            if (l > 1)
            {
                if (batchNorm) decoder.Append(new BatchNorm2d(widths[l - 1]));
                AppendHidden(decoder, options, decoderHidden);
            }
        }
        return new EncoderDecoder(encoder, decoder, sizes[^1]);
    }

    /// <summary>
    /// Convolutional encoder/decoder for sequences [C, L] (channels by time steps), the 1-D form of <see cref="Conv"/>:
    /// encoder Conv1d(C→32, k4, s2, p1), act, Conv1d(32→64, k4, s2, p1), act, flatten to F = 64·L/4 features, then the
    /// <see cref="EncoderDecoderOptions.Architecture"/> sizes as fully connected layers (s₀ must equal C·L), code
    /// activation. Decoder: the mirrored Linear layers up to F, act, unflatten, ConvTranspose1d(64→32), act,
    /// ConvTranspose1d(32→C) (k4, s2, p1: each exactly doubles L), no output activation.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not [C, L], or L is not a multiple of 4.</exception>
    public static EncoderDecoder Conv1d(AutoencoderOptions options, int[] inputShape, Rng rng,
        Func<Layer>? encoderHidden = null, Func<Layer>? decoderHidden = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(rng);
        RefuseTied(options);
        if (inputShape.Length != 2 || inputShape[1] % 4 != 0 || inputShape[1] < 4)
            throw new ArgumentException(
                $"ae: network 'conv1d' needs sequence samples [C,L] with L a multiple of 4 (it halves L twice), got {Shapes.Format(inputShape)}", nameof(inputShape));
        var sizes = options.LayerSizes();
        int channels = inputShape[0], length = inputShape[1];
        if (sizes[0] != channels * length)
            throw new ArgumentException(
                $"ae: architecture '{options.Architecture}' starts with {sizes[0]} but a sample of shape {Shapes.Format(inputShape)} has {channels * length} elements",
                nameof(options));
        int[] widths = [channels, 32, 64];
        int lo = length / 4, features = widths[^1] * lo;

        var encoder = InputLayers(options);
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            encoder.Append(new Latent.NN.Layers.Conv1d(widths[l], widths[l + 1], 4, rng, stride: 2, padding: 1));
            AppendHidden(encoder, options, encoderHidden);
        }
        encoder.Append(new Flatten());
        var fc = (int[])sizes.Clone();
        fc[0] = features;
        for (int i = 0; i + 1 < fc.Length; i++)
        {
            encoder.Append(new Linear(fc[i], fc[i + 1], rng));
            if (i + 2 < fc.Length) AppendHidden(encoder, options, encoderHidden);
        }
        var codeAct = AutoencoderOptions.ActivationFor(options.CodeActivation, nameof(options.CodeActivation));
        if (codeAct.Name != "identity") encoder.Append(codeAct);

        var decoder = new Sequential();
        for (int i = fc.Length - 1; i > 0; i--)
        {
            decoder.Append(new Linear(fc[i], fc[i - 1], rng));
            AppendHidden(decoder, options, decoderHidden);
        }
        decoder.Append(new Unflatten(1, [widths[^1], lo]));
        for (int l = widths.Length - 1; l > 0; l--)
        {
            decoder.Append(new Latent.NN.Layers.ConvTranspose1d(widths[l], widths[l - 1], 4, rng, stride: 2, padding: 1));
            if (l > 1) AppendHidden(decoder, options, decoderHidden);
        }
        return new EncoderDecoder(encoder, decoder, sizes[^1]);
    }

    /// <summary>Number of stride-2 stages of the conv network for an H×W image: 3 from 64 pixels up, else 2.</summary>
    public static int ConvStages(int height, int width) => Math.Min(height, width) >= 64 ? 3 : 2;

    private static (int C, int H, int W) ConvGeometry(int[] inputShape, string network)
    {
        if (inputShape.Length != 3)
            throw new ArgumentException(
                $"ae: network '{network}' needs image samples [C,H,W], got {Shapes.Format(inputShape)} (use network=mlp for vectors)", nameof(inputShape));
        int c = inputShape[0], h = inputShape[1], w = inputShape[2];
        int stages = ConvStages(h, w), multiple = 1 << stages;
        if (h % multiple != 0 || w % multiple != 0 || h < multiple || w < multiple)
            throw new ArgumentException(
                $"ae: network '{network}' halves the image {stages} times, so height and width must be multiples of {multiple}; " +
                $"got {Shapes.Format(inputShape)} (e.g. 28x28, 32x32, 64x64 work; crop or pad, or use network=mlp)", nameof(inputShape));
        return (c, h, w);
    }

    private static void RefuseTied(AutoencoderOptions options)
    {
        if (options.Tied)
            throw new ArgumentException($"ae: tied=true needs network=mlp or mlp-bn: the decoder of network={options.Network} does not mirror the encoder's Linear layers", nameof(options));
    }

    /// <summary>The encoder's first layers: the map x ↦ 2x − 1 for a tanh output (<see cref="SignedInput"/>), else none.</summary>
    private static Sequential InputLayers(AutoencoderOptions options) =>
        options.Output == OutputDistribution.Tanh ? new Sequential(new SignedInput()) : new Sequential();

    private static void AppendHidden(Sequential net, AutoencoderOptions options, Func<Layer>? extra)
    {
        net.Append(AutoencoderOptions.ActivationFor(options.HiddenActivation, nameof(options.HiddenActivation)));
        if (extra is not null) net.Append(extra());
    }
}
