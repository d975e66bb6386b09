using Latent.Core;
using Latent.Models.Autoencoder;

namespace Latent.Models.Denoising;

/// <summary>
/// The denoising autoencoder (Vincent, Larochelle, Bengio &amp; Manzagol 2008, ICML, §2.3): corrupt the input with
/// q(x̃|x), encode and decode the corrupted x̃, and score the reconstruction against the <b>clean</b> x:
/// <code>
///   L(x) = E_{x̃ ~ q(x̃|x)} [ L_H(x, g(f(x̃))) ],   L_H(x, z) = −Σ_i [x_i log z_i + (1 − x_i) log(1 − z_i)]
/// </code>
/// (squared error instead of L_H for Gaussian output). One x̃ is drawn per sample per step, from the training
/// context's random stream; outside training (<see cref="TrainingContext.IsTraining"/> false) the input is not
/// corrupted, so the validation loss is the plain reconstruction error. Encode/Decode/Reconstruct never corrupt:
/// to denoise, pass the noisy image to <see cref="AutoencoderModel.Reconstruct"/>.
/// </summary>
public sealed class DenoisingAutoencoder : NetworkAutoencoder
{
    /// <summary>The registry entry ("dae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<DenoisingOptions>("dae",
        "Vincent, Larochelle, Bengio & Manzagol 2008, Extracting and Composing Robust Features with Denoising Autoencoders, ICML",
        "denoising autoencoder: reconstruct the clean x from a corrupted x~ (masking, gaussian, salt-and-pepper, block)",
        (options, shape, rng) => new DenoisingAutoencoder(options, shape, rng));

    private readonly DenoisingOptions _options;

    /// <summary>Builds the networks from <paramref name="options"/> for samples of <paramref name="inputShape"/>.</summary>
    public DenoisingAutoencoder(DenoisingOptions options, int[] inputShape, Rng rng)
        : base(options, ModelOptions.Checked(options).Network, inputShape, rng)
    {
        _options = options;
    }

    /// <summary>The training corruption q(x̃|x).</summary>
    public Corruption Noise => _options.Noise;

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        // x̃ ~ q(x̃|x) only while training; the target is always the clean x.
        var input = ctx.IsTraining ? _options.Noise.Apply(x, ctx.Rng) : x;
        var z = Encoder.Forward(input);
        var reconstruction = Reconstruction(Decoder.Forward(z), x);
        return WithActivityPenalty(new LossTerms(total: reconstruction, reconstruction: reconstruction), z);
    }
}
