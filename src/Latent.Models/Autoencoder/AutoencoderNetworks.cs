using Latent.Core;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.Autoencoder;

/// <summary>
/// Builds the encoder and decoder of an autoencoder from its options. This is the seam for other network
/// families: "mlp" today; a convolutional encoder/decoder is added here as another case of
/// <see cref="AutoencoderOptions.Network"/> once the conv kernels land, and every model reusing this builder gets it.
/// </summary>
public static class AutoencoderNetworks
{
    /// <summary>The encoder and decoder for samples of <paramref name="inputShape"/>.</summary>
    public static EncoderDecoder Build(AutoencoderOptions options, int[] inputShape, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        return options.Network.ToLowerInvariant() switch
        {
            "mlp" => Mlp(options, inputShape, rng),
            _ => throw new ArgumentException($"ae: network '{options.Network}' is not supported", nameof(options)),
        };
    }

    /// <summary>
    /// Mirrored MLPs. Encoder: flatten, then Linear(s₀→s₁), act, ..., Linear(s_{n−1}→s_n), code activation.
    /// Decoder: Linear(s_n→s_{n−1}), act, ..., Linear(s₁→s₀), reshape to the input shape (no output activation:
    /// the model applies sigmoid for Bernoulli outputs).
    /// </summary>
    public static EncoderDecoder Mlp(AutoencoderOptions options, int[] inputShape, Rng rng)
    {
        var sizes = options.LayerSizes();
        int inputSize = Shapes.Size(inputShape);
        if (sizes[0] != inputSize)
            throw new ArgumentException(
                $"ae: architecture '{options.Architecture}' starts with {sizes[0]} but a sample of shape {Shapes.Format(inputShape)} has {inputSize} elements",
                nameof(options));

        var encoder = new Sequential(new BatchReshape([inputSize]));
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            encoder.Append(new Linear(sizes[i], sizes[i + 1], rng));
            if (i + 2 < sizes.Length) encoder.Append(AutoencoderOptions.ActivationFor(options.HiddenActivation, nameof(options.HiddenActivation)));
        }
        var codeAct = AutoencoderOptions.ActivationFor(options.CodeActivation, nameof(options.CodeActivation));
        if (codeAct.Name != "identity") encoder.Append(codeAct);

        var decoder = new Sequential();
        for (int i = sizes.Length - 1; i > 0; i--)
        {
            decoder.Append(new Linear(sizes[i], sizes[i - 1], rng));
            if (i > 1) decoder.Append(AutoencoderOptions.ActivationFor(options.HiddenActivation, nameof(options.HiddenActivation)));
        }
        decoder.Append(new BatchReshape(inputShape));
        return new EncoderDecoder(encoder, decoder, sizes[^1]);
    }
}
