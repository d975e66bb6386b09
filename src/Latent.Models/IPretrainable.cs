using Latent.Data;
using Latent.Models.Training;

namespace Latent.Models;

/// <summary>
/// A model with a training phase before the end-to-end one (greedy layer-wise pretraining of a stacked
/// autoencoder). The CLI calls <see cref="Pretrain"/> before <see cref="Trainer.Fit"/>.
/// </summary>
public interface IPretrainable
{
    /// <summary>Runs the pretraining phase on <paramref name="train"/>.</summary>
    void Pretrain(Dataset train, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}
