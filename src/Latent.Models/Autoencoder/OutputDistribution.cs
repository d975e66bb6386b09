namespace Latent.Models.Autoencoder;

/// <summary>
/// What the decoder's last layer produces and which likelihood p(x|z) goes with it
/// (<see cref="NetworkAutoencoder.Likelihood(OutputDistribution, Latent.Core.Tensor)"/>; the VAE's own in <see cref="Vae.Vae.Likelihood"/>).
/// </summary>
public enum OutputDistribution
{
    /// <summary>Logits of independent Bernoulli variables (<see cref="Distributions.Bernoulli"/>): the loss is binary
    /// cross-entropy on logits summed per sample; Decode returns sigmoid(logits). For data in [0,1].</summary>
    Bernoulli,

    /// <summary>The mean of a Gaussian (<see cref="Distributions.GaussianLikelihood"/>): the loss is squared error summed
    /// per sample (the VAE: the unit-variance negative log-likelihood); Decode returns the output as is. For real-valued data.</summary>
    Gaussian,

    /// <summary>A tanh output layer with a squared-error reconstruction on targets in [−1, 1]
    /// (<see cref="Distributions.TanhSquaredError"/>): data in [0, 1] is mapped x ↦ 2x − 1 inside the model (the encoder's
    /// first layer and the loss's target) and back, (t + 1)/2, by Decode, so every picture and metric is in [0, 1].</summary>
    Tanh,
}
