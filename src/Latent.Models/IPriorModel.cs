using Latent.Data;
using Latent.Models.Training;

namespace Latent.Models;

/// <summary>
/// A model with discrete codes whose generative prior is trained after the model itself (a PixelCNN over the
/// codes of a trained VQ-VAE, van den Oord et al. 2017 §3.3). The prior is a submodule, saved with the weights;
/// <see cref="IGenerativeModel.Sample"/> needs it trained.
/// </summary>
public interface IPriorModel
{
    /// <summary>True once the prior has been fitted (or loaded).</summary>
    bool PriorTrained { get; }

    /// <summary>Fits the prior on the codes of <paramref name="train"/> under the (frozen) trained model, through
    /// <see cref="PixelCnn.PriorFitting.Fit"/>: throws <see cref="TrainingCancelledException"/> when cancelled.</summary>
    void FitPrior(Dataset train, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}
