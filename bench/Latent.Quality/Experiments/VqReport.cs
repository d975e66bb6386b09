using System.Globalization;

namespace Latent.Quality.Experiments;

/// <summary>
/// What <see cref="VqExperiment.Run"/> measured: Mse is the test MSE per pixel, MseOverVariance that over the variance
/// of the training pixels (the Keras VQ-VAE example's measure); Usage and Perplexity are batch-averaged at batch 256
/// (the bottom level for VQ-VAE-2, whose top-level terms are in TopTerms); Epochs counts full epochs, Cancelled says
/// the time budget stopped training inside the next one.
/// </summary>
internal sealed record VqReport(string Tag, string Options, int TrainCount, int Epochs, bool Cancelled, double TrainSeconds,
    double Bits, double Mse, double MseOverVariance, double Usage, double Perplexity,
    IReadOnlyList<KeyValuePair<string, double>> TopTerms, int PriorEpochs, double PriorSeconds, string? SamplesPng)
{
    /// <summary>One markdown row with the run's settings and scores (printed at the end of the run).</summary>
    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Tag} | {Options} | {TrainCount} | {Epochs}{(Cancelled ? "+" : "")} | {TrainSeconds:F0} | {Bits:F0} | {Mse:F5} | {MseOverVariance:F4} | {Usage:F3} | {Perplexity:F1} |");
}
