namespace Latent.Models.Training;

/// <summary>One epoch's averages of every loss term (weighted by batch size), for training and validation.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Train">Term name → average over the epoch's training batches, in <see cref="LossTerms.All"/> order.</param>
/// <param name="Validation">Term name → average over the validation set after the epoch, or null without validation.</param>
/// <param name="LearningRate">Learning rate of the epoch's last step.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch (training and validation).</param>
public sealed record EpochMetrics(
    int Epoch,
    IReadOnlyList<KeyValuePair<string, double>> Train,
    IReadOnlyList<KeyValuePair<string, double>>? Validation,
    double LearningRate,
    double Seconds)
{
    /// <summary>The training average of <paramref name="term"/>, or NaN when absent.</summary>
    public double TrainValue(string term) => Find(Train, term);

    /// <summary>The validation average of <paramref name="term"/>, or NaN when absent.</summary>
    public double ValidationValue(string term) => Validation is null ? double.NaN : Find(Validation, term);

    private static double Find(IReadOnlyList<KeyValuePair<string, double>> list, string term)
    {
        foreach (var kv in list) if (kv.Key == term) return kv.Value;
        return double.NaN;
    }
}
