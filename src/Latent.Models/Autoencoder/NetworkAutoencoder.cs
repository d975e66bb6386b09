using Latent.Core;
using Latent.NN;

namespace Latent.Models.Autoencoder;

/// <summary>
/// Base of the model families that are a plain encoder/decoder pair from <see cref="AutoencoderNetworks.Build"/>
/// (MLP or conv) with a family-specific objective: denoising, dropout, sparse, k-sparse, contractive and stacked
/// autoencoders. It holds the networks and implements <see cref="Encode"/>/<see cref="Decode"/>; each family writes its
/// <see cref="AutoencoderModel.Loss"/> (the paper's equation) and may override <see cref="Encode"/>.
/// </summary>
public abstract class NetworkAutoencoder : AutoencoderModel
{
    /// <summary>Builds the networks of <paramref name="network"/> for samples of <paramref name="inputShape"/>.</summary>
    /// <param name="network">Architecture, activations, output distribution and network family.</param>
    /// <param name="inputShape">One sample's shape.</param>
    /// <param name="rng">Initialisation stream.</param>
    /// <param name="encoderHidden">Extra layer after every hidden activation of the encoder (dropout), or null.</param>
    /// <param name="decoderHidden">The same for the decoder, or null.</param>
    protected NetworkAutoencoder(AutoencoderOptions network, int[] inputShape, Rng rng,
        Func<Layer>? encoderHidden = null, Func<Layer>? decoderHidden = null) : base(inputShape)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        var nets = AutoencoderNetworks.Build(network, inputShape, rng, encoderHidden, decoderHidden);
        Encoder = Add("encoder", nets.Encoder);
        Decoder = Add("decoder", nets.Decoder);
        CodeSize = nets.CodeSize;
    }

    /// <summary>The network options the encoder and decoder were built from.</summary>
    public AutoencoderOptions Network { get; }

    /// <inheritdoc />
    public override int CodeSize { get; }

    /// <summary>f: [B, ...InputShape] → [B, Z] (with the code activation).</summary>
    public Layer Encoder { get; }

    /// <summary>g: [B, Z] → logits (Bernoulli) or values (Gaussian), [B, ...InputShape].</summary>
    public Layer Decoder { get; }

    /// <inheritdoc />
    public override Tensor Encode(Tensor x)
    {
        CheckInput(x, nameof(Encode));
        return Encoder.Forward(x);
    }

    /// <inheritdoc />
    public override Tensor Decode(Tensor z)
    {
        CheckCode(z, nameof(Decode));
        var output = Decoder.Forward(z);
        return Network.Output == OutputDistribution.Bernoulli ? output.Sigmoid() : output;
    }

    /// <summary>The reconstruction term of <paramref name="output"/> (decoder pre-output [B, ...]) against <paramref name="target"/>:
    /// per-sample BCE on logits or squared error, averaged over the batch (<see cref="Autoencoder.ReconstructionLoss"/>).</summary>
    protected Tensor Reconstruction(Tensor output, Tensor target) => Autoencoder.ReconstructionLoss(output, target, Network.Output);
}
