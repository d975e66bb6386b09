using Latent.Core;

namespace Latent.Models;

/// <summary>
/// Where training stands when <see cref="AutoencoderModel.Loss"/> is called, and the random stream the model
/// must use for its noise (corruption, reparameterisation), so that seeded runs and resumed runs repeat exactly.
/// Annealed weights resolve here: a model multiplies its penalty by <see cref="RegularisationWeight"/>, or reads
/// <see cref="Progress"/> for its own schedule (β-VAE capacity, KL cycles).
/// </summary>
public sealed record TrainingContext
{
    /// <summary>A context for training at the given position.</summary>
    public TrainingContext(Rng rng, int epoch = 0, long step = 0, double progress = 0, float regularisationWeight = 1f, bool isTraining = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (epoch < 0) throw new ArgumentException($"TrainingContext: epoch {epoch} < 0", nameof(epoch));
        if (step < 0) throw new ArgumentException($"TrainingContext: step {step} < 0", nameof(step));
        if (!(progress is >= 0 and <= 1)) throw new ArgumentException($"TrainingContext: progress {progress} not in [0, 1]", nameof(progress));
        if (!(regularisationWeight >= 0f) || float.IsInfinity(regularisationWeight))
            throw new ArgumentException($"TrainingContext: regularisation weight {regularisationWeight} must be finite and >= 0", nameof(regularisationWeight));
        Rng = rng; Epoch = epoch; Step = step; Progress = progress; RegularisationWeight = regularisationWeight; IsTraining = isTraining;
    }

    /// <summary>A context for evaluation: full regularisation weight, progress 1, not training.</summary>
    public static TrainingContext ForEvaluation(Rng rng) => new(rng, progress: 1, isTraining: false);

    /// <summary>The random stream for the model's noise.</summary>
    public Rng Rng { get; }

    /// <summary>Current epoch, 0-based.</summary>
    public int Epoch { get; init; }

    /// <summary>Optimizer steps taken before this one (global, 0-based).</summary>
    public long Step { get; init; }

    /// <summary>Fraction of the planned training done, in [0, 1] (step / total steps).</summary>
    public double Progress { get; init; }

    /// <summary>
    /// The annealing factor for the regularisation term, in [0, ∞): 1 without warm-up; during a linear warm-up
    /// (Bowman et al. 2016, "Generating sentences from a continuous space", KL annealing) it rises from 0 to 1.
    /// </summary>
    public float RegularisationWeight { get; init; }

    /// <summary>False during validation and evaluation (no noise beyond what the model's definition needs).</summary>
    public bool IsTraining { get; init; }

    /// <summary>
    /// The class labels of the batch's samples [B] when the dataset has labels, else null. The trainer and
    /// <see cref="Metrics.Evaluation.AverageLossTerms"/> set them; a class-conditional model reads them, the others ignore them.
    /// </summary>
    public int[]? Labels { get; init; }
}
