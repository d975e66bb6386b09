namespace Latent.Models.Metrics;

/// <summary>The sample-quality figures of <see cref="SampleQuality.Score"/>.</summary>
/// <param name="FrechetDistance">Fréchet classifier distance d² between the feature Gaussians of data and samples (lower is better; 0 = same statistics).</param>
/// <param name="Precision">Fraction of samples inside the data's k-NN balls (sample fidelity, in [0, 1]).</param>
/// <param name="Recall">Fraction of data points inside the samples' k-NN balls (coverage of the data, in [0, 1]).</param>
/// <param name="RealCount">Data points compared.</param>
/// <param name="SampleCount">Samples compared.</param>
/// <param name="Neighbours">k of the k-NN radii.</param>
public sealed record SampleQualityScores(double FrechetDistance, double Precision, double Recall, int RealCount, int SampleCount, int Neighbours);
