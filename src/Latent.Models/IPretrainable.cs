using Latent.Data;
using Latent.Models.Training;

namespace Latent.Models;

/// <summary>
/// A model with a training phase before the end-to-end one (greedy layer-wise pretraining of a stacked
/// autoencoder), itself <see cref="Trainer.Fit"/> on stages (<see cref="TrainingOptions.Stage"/>); a run calls it before the main stage.
/// </summary>
public interface IPretrainable
{
    /// <summary>Runs the pretraining stages on <paramref name="train"/>; the result is the last stage's, or the cancelled one.</summary>
    TrainingResult Pretrain(Dataset train, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}
