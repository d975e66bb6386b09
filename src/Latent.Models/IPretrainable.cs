using Latent.Data;
using Latent.Models.Training;

namespace Latent.Models;

/// <summary>
/// A model with a training phase before the end-to-end one (greedy layer-wise pretraining of a stacked
/// autoencoder). A training run calls <see cref="Pretrain"/> before <see cref="Trainer.Fit"/>; pretraining is itself
/// <see cref="Trainer.Fit"/> on stages named by <see cref="TrainingOptions.Stage"/>, so it checkpoints, resumes and stops
/// on cancellation like the main stage.
/// </summary>
public interface IPretrainable
{
    /// <summary>Runs the pretraining stages on <paramref name="train"/>; the result is the last stage's, or the cancelled one.</summary>
    TrainingResult Pretrain(Dataset train, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}
