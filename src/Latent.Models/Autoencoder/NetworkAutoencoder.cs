using Latent.Core;
using Latent.Models.Distributions;
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
    /// <param name="options">The family's options (<see cref="Options"/>).</param>
    /// <param name="network">Architecture, activations, output distribution and network family.</param>
    /// <param name="inputShape">One sample's shape.</param>
    /// <param name="rng">Initialisation stream.</param>
    /// <param name="encoderHidden">Extra layer after every hidden activation of the encoder (dropout), or null.</param>
    /// <param name="decoderHidden">The same for the decoder, or null.</param>
    protected NetworkAutoencoder(ModelOptions options, AutoencoderOptions network, int[] inputShape, Rng rng,
        Func<Layer>? encoderHidden = null, Func<Layer>? decoderHidden = null) : base(inputShape)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(network);
        Options = options;
        Network = network;
        var nets = AutoencoderNetworks.Build(network, inputShape, rng, encoderHidden, decoderHidden);
        Encoder = Add("encoder", nets.Encoder);
        Decoder = Add("decoder", nets.Decoder);
        CodeSize = nets.CodeSize;
    }

    /// <inheritdoc />
    public override ModelOptions Options { get; }

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
        return Likelihood(Decoder.Forward(z)).Mean;
    }

    /// <summary>
    /// p(x|z) of a plain autoencoder for the decoder's pre-output <paramref name="output"/> [B, ...]: independent
    /// Bernoulli variables on the logits, the summed squared error (<see cref="GaussianLikelihood.SquaredError"/>), or
    /// the squared error of a tanh output on targets mapped to [−1, 1] (<see cref="TanhSquaredError"/>).
    /// </summary>
    public static IReconstructionLikelihood Likelihood(OutputDistribution distribution, Tensor output) => distribution switch
    {
        OutputDistribution.Bernoulli => new Bernoulli(output),
        OutputDistribution.Tanh => new TanhSquaredError(output),
        _ => GaussianLikelihood.SquaredError(output),
    };

    /// <summary>p(x|z) of this model's output distribution for the decoder's pre-output [B, ...].</summary>
    public IReconstructionLikelihood Likelihood(Tensor output) => Likelihood(Network.Output, output);

    /// <summary>
    /// <paramref name="terms"/> with the L2 activity penalty of the code <paramref name="code"/> [B, Z] added when
    /// <see cref="AutoencoderOptions.ActivityL2"/> λ &gt; 0: total + λ·(1/B) Σ_b ‖z_b‖², the penalty listed as the term
    /// "activity_l2" (weighted, as it enters the total). With λ = 0 it returns <paramref name="terms"/> itself.
    /// </summary>
    protected LossTerms WithActivityPenalty(LossTerms terms, Tensor code)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(code);
        float lambda = Network.ActivityL2;
        if (lambda == 0f) return terms;
        var penalty = code.Square().Sum() * (lambda / Math.Max(1, code.Shape[0]));
        return terms.Plus(ActivityL2Name, penalty);
    }

    /// <summary>The name of the L2 activity penalty in <see cref="LossTerms"/> and metrics.csv.</summary>
    public const string ActivityL2Name = "activity_l2";

    /// <summary>The reconstruction term of <paramref name="output"/> (decoder pre-output [B, ...]) against <paramref name="target"/>:
    /// −log p(target|z) summed per sample (BCE on logits or squared error) and averaged over the batch.</summary>
    protected Tensor Reconstruction(Tensor output, Tensor target) => Likelihood(output).MeanNegativeLogLikelihood(target);
}
