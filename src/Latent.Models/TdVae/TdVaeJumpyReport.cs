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
public sealed record TdVaeJumpyReport(
    int Sequences, int Observed, int[] Ahead,
    double[] ModelPositionError, double[] CopyPositionError, double[] ModelPixelMse, double[] CopyPixelMse)
{
    /// <summary><c>tdvae_gain_over_copy</c>: mean over k of copy position error / model position error (&gt; 1: the model beats copying).</summary>
    public double GainOverCopy => Ahead.Select((_, i) => CopyPositionError[i] / Math.Max(1e-12, ModelPositionError[i])).Average();

    /// <summary>Mean over k of copy pixel MSE / model pixel MSE.</summary>
    public double PixelGainOverCopy => Ahead.Select((_, i) => CopyPixelMse[i] / Math.Max(1e-12, ModelPixelMse[i])).Average();
}
