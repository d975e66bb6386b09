using Latent.Core;
using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>Adam whose step count can be restored from a checkpoint (the base class only lets subclasses set it).</summary>
internal sealed class ResumableAdam(IEnumerable<Tensor> parameters, float lr) : Adam(parameters, lr)
{
    /// <summary>Sets the number of steps taken (for Adam's bias corrections).</summary>
    public void RestoreStepCount(long steps) => StepCount = steps;
}
