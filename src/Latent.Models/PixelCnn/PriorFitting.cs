using Latent.Core;
using Latent.Data;
using Latent.Models.Training;

namespace Latent.Models.PixelCnn;

/// <summary>
/// Fits a code prior after its model (van den Oord et al. 2017, §3.3: "we train the prior over these discrete latents
/// after training the VQ-VAE"): <see cref="Trainer.Fit"/> on the cross-entropy of the precomputed code maps of the
/// training set, as the training stage "prior-HxW" (<see cref="TrainingOptions.ForStage"/>), so the run's optimizer,
/// schedule, clipping, NaN guard, progress, checkpoints, resume and cancellation all apply.
/// </summary>
public static class PriorFitting
{
    /// <summary>
    /// Fits <paramref name="prior"/> to <paramref name="count"/> code maps of h×w (<paramref name="codes"/> row-major over
    /// [count, h, w]) with optional <paramref name="labels"/> [count] and a conditioning map for a batch of sample indices
    /// (<paramref name="condition"/>), for <paramref name="options"/>' epochs. Marks the prior trained and returns the
    /// mean NLL (nats per position) of each epoch. When cancelled it writes its checkpoint and throws
    /// <see cref="TrainingCancelledException"/>.
    /// </summary>
    public static IReadOnlyList<double> Fit(GatedPixelCnn prior, int[] codes, int count, int h, int w, int[]? labels,
        Func<int[], Tensor>? condition, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(options);
        if (count <= 0 || codes.Length != count * h * w)
            throw new ArgumentException($"PriorFitting: {codes.Length} codes for {count} maps of {h}x{w}", nameof(codes));
        if (prior.Classes > 0 && (labels is null || labels.Length != count))
            throw new ArgumentException($"PriorFitting: the class-conditional prior needs {count} labels", nameof(labels));
        if (prior.ConditionChannels > 0 && condition is null)
            throw new ArgumentException("PriorFitting: the prior is conditional and needs a conditioning map", nameof(condition));

        if (count > 1 << 24) throw new ArgumentException($"PriorFitting: {count} code maps; at most 2^24 are supported", nameof(count));

        // The samples are the maps' row numbers [1] (exact in float32), so shuffling, checkpoints and resume apply unchanged.
        int per = h * w;
        var rows = new Dataset($"codes {h}x{w}", Enumerable.Range(0, count).Select(i => (float)i).ToArray(), [1]);
        var objective = new Objective("pixelcnn-prior", $"codes={h}x{w}", [1], [("prior", prior)], (x, _) =>
        {
            var idx = x.ToArray().Select(v => (int)v).ToArray();
            var batchCodes = new int[idx.Length * per];
            for (int b = 0; b < idx.Length; b++) Array.Copy(codes, idx[b] * per, batchCodes, b * per, per);
            var nll = prior.Loss(batchCodes, idx.Length, h, w, prior.Classes > 0 ? idx.Select(i => labels![i]).ToArray() : null, condition?.Invoke(idx));
            return new LossTerms(nll, nll);
        });
        var result = Trainer.Fit(objective, rows, null, options.ForStage($"prior-{h}x{w}", options.Epochs), progress, cancellationToken);
        if (result.Status == TrainingStatus.Cancelled) throw new TrainingCancelledException(result);
        prior.IsTrained = true;
        prior.Eval();
        return result.History.Select(e => e.TrainValue(LossTerms.TotalName)).ToList();
    }
}
