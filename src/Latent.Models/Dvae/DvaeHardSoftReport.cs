namespace Latent.Models.Dvae;

/// <summary>
/// Reconstruction error of a dVAE with soft and with hard codes on the same data (<see cref="DvaeEvaluation.HardVersusSoft"/>).
/// All errors are mean squared errors per pixel of the decoded probabilities against the data.
/// </summary>
/// <param name="Samples">Number of samples evaluated.</param>
/// <param name="Temperature">τ used for the soft code softmax(ℓ/τ).</param>
/// <param name="SoftMse">MSE of Decode(softmax(ℓ/τ)) (relaxed, noise-free).</param>
/// <param name="HardMse">MSE of Decode(one_hot(argmax ℓ)) (the discrete tokens; what <see cref="Dvae.Encode"/> gives).</param>
/// <param name="HardSoftMse">MSE between the two reconstructions.</param>
/// <param name="CodebookUsage">Fraction of the K categories used as argmax token at least once.</param>
public sealed record DvaeHardSoftReport(int Samples, float Temperature, double SoftMse, double HardMse, double HardSoftMse, double CodebookUsage);
