using Latent.Core;

namespace Latent.Models.Autoencoder;

/// <summary>
/// The plain (deep) autoencoder: z = f(x), x̂ = g(z), trained to minimise a reconstruction loss
/// (Rumelhart, Hinton &amp; Williams 1986; deep version: Hinton &amp; Salakhutdinov 2006, Science 313, 504–507).
/// <para>
/// Bernoulli output (data in [0,1]): L(x) = (1/B) Σ_b Σ_i [max(ℓ,0) − ℓ·x + log(1 + e^−|ℓ|)], ℓ = g(f(x)) the logits,
/// i.e. the cross-entropy −Σ_i [x_i log x̂_i + (1−x_i) log(1−x̂_i)] with x̂ = σ(ℓ) (the paper's Eq. for logistic outputs).
/// Gaussian output: L(x) = (1/B) Σ_b ‖x − g(f(x))‖² (squared error per sample, the paper's reported measure).
/// </para>
/// There is no regularisation term: <see cref="LossTerms.Regularisation"/> is null.
/// </summary>
public sealed class Autoencoder : NetworkAutoencoder
{
    /// <summary>The registry entry ("ae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<AutoencoderOptions>("ae",
        "Hinton & Salakhutdinov 2006, Reducing the Dimensionality of Data with Neural Networks, Science 313",
        "plain deep autoencoder: mirrored MLP encoder/decoder, linear code, BCE or MSE reconstruction",
        (options, shape, rng) => new Autoencoder(options, shape, rng));

    /// <summary>Builds the networks from <paramref name="options"/> for samples of <paramref name="inputShape"/>, initialised from <paramref name="rng"/>.</summary>
    public Autoencoder(AutoencoderOptions options, int[] inputShape, Rng rng) : base(options, options, inputShape, rng)
    {
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        var z = Encoder.Forward(x);
        var reconstruction = Reconstruction(Decoder.Forward(z), x);
        return WithActivityPenalty(new LossTerms(total: reconstruction, reconstruction: reconstruction), z);
    }
}
