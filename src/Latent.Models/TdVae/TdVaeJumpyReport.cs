namespace Latent.Models.TdVae;

/// <summary>
/// Jumpy prediction errors of a TD-VAE against the copy-the-last-frame baseline, per step ahead k
/// (<see cref="TdVaeEvaluation.JumpyPrediction"/>). Index i of every array is k = <see cref="Ahead"/>[i].
/// </summary>
/// <param name="Sequences">Sequences evaluated.</param>
/// <param name="Observed">Frames observed before predicting.</param>
/// <param name="Ahead">The steps ahead k = 1..K.</param>
/// <param name="ModelPositionError">Mean distance in pixels between the centroid of the predicted frame and the true sprite centre.</param>
/// <param name="CopyPositionError">The same for the last observed frame (the sprite stays where it was last seen).</param>
/// <param name="ModelPixelMse">Mean squared error per pixel of the predicted frame against the true frame.</param>
/// <param name="CopyPixelMse">The same for the last observed frame.</param>
/// <param name="ModelPeakPositionError">Like <paramref name="ModelPositionError"/> with <see cref="TdVaeEvaluation.PeakCentroid"/>
/// (the centroid of the pixels above half the frame's maximum), blind to a faint background haze.</param>
/// <param name="CopyPeakPositionError">The same for the last observed frame.</param>
public sealed record TdVaeJumpyReport(
    int Sequences, int Observed, int[] Ahead,
    double[] ModelPositionError, double[] CopyPositionError, double[] ModelPixelMse, double[] CopyPixelMse,
    double[] ModelPeakPositionError, double[] CopyPeakPositionError)
{
    /// <summary>Copy position error / model position error at each k (&gt; 1: the model beats copying at that k).</summary>
    public double[] GainPerK => Ahead.Select((_, i) => CopyPositionError[i] / Math.Max(1e-12, ModelPositionError[i])).ToArray();

    /// <summary><c>tdvae_min_gain_over_copy</c>: the smallest per-k position gain (&gt; 1: the model beats copying at every k).</summary>
    public double MinGainOverCopy => GainPerK.Min();

    /// <summary>Mean over k of the gain with the bright-part centroid (<see cref="TdVaeEvaluation.PeakCentroid"/>).</summary>
    public double PeakGainOverCopy => Ahead.Select((_, i) => CopyPeakPositionError[i] / Math.Max(1e-12, ModelPeakPositionError[i])).Average();

    /// <summary>The smallest per-k gain with the bright-part centroid.</summary>
    public double MinPeakGainOverCopy => Ahead.Select((_, i) => CopyPeakPositionError[i] / Math.Max(1e-12, ModelPeakPositionError[i])).Min();

    /// <summary><c>tdvae_gain_over_copy</c>: mean over k of copy position error / model position error (&gt; 1: the model beats copying).</summary>
    public double GainOverCopy => Ahead.Select((_, i) => CopyPositionError[i] / Math.Max(1e-12, ModelPositionError[i])).Average();

    /// <summary>Mean over k of copy pixel MSE / model pixel MSE.</summary>
    public double PixelGainOverCopy => Ahead.Select((_, i) => CopyPixelMse[i] / Math.Max(1e-12, ModelPixelMse[i])).Average();
}
