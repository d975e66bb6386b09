using System.Diagnostics;
using Latent.Core;
using Latent.Models.Training;
using Latent.NN.Optim;

namespace Latent.Models.PixelCnn;

/// <summary>
/// The training loop of a code prior (van den Oord et al. 2017, §3.3: "we train the prior over these discrete latents
/// after training the VQ-VAE"): Adam on the cross-entropy of the precomputed code maps of the training set, seeded shuffling,
/// progress per step with the term "prior_nll" (nats per position) and an <see cref="EpochMetrics"/> at every epoch's end.
/// </summary>
public static class PriorFitting
{
    /// <summary>Name of the loss term reported while fitting a prior.</summary>
    public const string NllTerm = "prior_nll";

    /// <summary>
    /// Fits <paramref name="prior"/> to <paramref name="count"/> code maps of h×w (<paramref name="codes"/> row-major over
    /// [count, h, w]) with optional <paramref name="labels"/> [count] and a conditioning map for a batch of sample indices
    /// (<paramref name="condition"/>). Marks the prior trained and returns the mean NLL (nats per position) of each epoch.
    /// </summary>
    public static IReadOnlyList<double> Fit(GatedPixelCnn prior, int[] codes, int count, int h, int w, int[]? labels,
        Func<int[], Tensor>? condition, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (count <= 0 || codes.Length != count * h * w)
            throw new ArgumentException($"PriorFitting: {codes.Length} codes for {count} maps of {h}x{w}", nameof(codes));
        if (prior.Classes > 0 && (labels is null || labels.Length != count))
            throw new ArgumentException($"PriorFitting: the class-conditional prior needs {count} labels", nameof(labels));
        if (prior.ConditionChannels > 0 && condition is null)
            throw new ArgumentException("PriorFitting: the prior is conditional and needs a conditioning map", nameof(condition));

        int batch = options.BatchSize, per = h * w;
        int stepsPerEpoch = (count + batch - 1) / batch;
        long totalSteps = (long)stepsPerEpoch * options.Epochs, step = 0;
        var optimizer = new Adam(prior.Parameters(), options.LearningRate);
        var shuffle = new Rng(options.Seed ^ 0x9121_0C0D_E5u);
        var history = new List<double>();
        var clock = Stopwatch.StartNew();
        prior.Train();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var order = options.Shuffle ? shuffle.Permutation(count) : Enumerable.Range(0, count).ToArray();
            double sum = 0;
            for (int s = 0; s < stepsPerEpoch; s++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = s * batch, n = Math.Min(batch, count - start);
                var idx = order.AsSpan(start, n).ToArray();
                var batchCodes = new int[n * per];
                for (int b = 0; b < n; b++) Array.Copy(codes, idx[b] * per, batchCodes, b * per, per);
                int[]? batchLabels = prior.Classes > 0 ? idx.Select(i => labels![i]).ToArray() : null;
                var cond = condition?.Invoke(idx);

                optimizer.ZeroGrad();
                var loss = prior.Loss(batchCodes, n, h, w, batchLabels, cond);
                float value = loss.Item();
                if (!float.IsFinite(value)) throw new TrainingDivergedException(epoch + 1, step + 1, NllTerm, value);
                loss.Backward();
                optimizer.Step();
                sum += (double)value * n;
                step++;
                if (progress is not null)
                {
                    double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                    progress.Report(new TrainingProgress
                    {
                        Epoch = epoch, Epochs = options.Epochs, Step = step, TotalSteps = totalSteps,
                        Terms = [new(NllTerm, value)], LearningRate = options.LearningRate,
                        SamplesPerSecond = step * (double)batch / seconds,
                        Eta = TimeSpan.FromSeconds((totalSteps - step) * seconds / step),
                    });
                }
            }
            history.Add(sum / count);
            if (progress is not null)
            {
                double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                progress.Report(new TrainingProgress
                {
                    Epoch = epoch, Epochs = options.Epochs, Step = step, TotalSteps = totalSteps, Terms = [],
                    EpochEnd = new EpochMetrics(epoch + 1, [new(NllTerm, sum / count)], null, options.LearningRate, epochClock.Elapsed.TotalSeconds),
                    LearningRate = options.LearningRate, SamplesPerSecond = step * (double)batch / seconds,
                    Eta = TimeSpan.FromSeconds((totalSteps - step) * seconds / step),
                });
            }
        }
        prior.IsTrained = true;
        prior.Eval();
        return history;
    }
}
