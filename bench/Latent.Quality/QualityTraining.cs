using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Models;
using Latent.Models.Training;
using Latent.NN.Optim;

namespace Latent.Quality;

/// <summary>
/// Trains a registered model with <see cref="Trainer.Fit"/> and calls back after chosen epochs (for test scores
/// and pictures), keeping the callback's time out of the reported training time. Adds the learning-rate
/// schedules the bench uses to the trainer's services (per optimizer step).
/// </summary>
internal static class QualityTraining
{
    /// <summary>
    /// Trainer services whose plain "cosine" is the library's cosine schedule (per optimizer step over the whole run)
    /// with a linear warm-up over the first 1% of the run, as the measured runs of docs/RESULTS.md used; every other
    /// spec ("constant", "cosine:min=…", ...) goes to <see cref="LrSchedule.Create"/> unchanged.
    /// </summary>
    public static TrainerServices Services { get; } = TrainerServices.Default with { CreateSchedule = Schedule };

    private static LrSchedule Schedule(string spec, Optimizer optimizer, int stepsPerEpoch, int epochs) =>
        LrSchedule.Create(spec.Trim().Equals("cosine", StringComparison.OrdinalIgnoreCase)
            ? string.Create(CultureInfo.InvariantCulture, $"cosine:warmup={0.01 * epochs:R}") : spec, optimizer, stepsPerEpoch, epochs);

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>; after every epoch in <paramref name="callbackEpochs"/>
    /// (1-based) calls <paramref name="afterEpoch"/>(epoch, training seconds so far). Returns the training seconds.
    /// </summary>
    public static double Fit(AutoencoderModel model, Dataset train, TrainingOptions options,
        IReadOnlyCollection<int> callbackEpochs, Action<int, double>? afterEpoch, bool logEpochs = true)
    {
        var clock = Stopwatch.StartNew();
        double excluded = 0;
        var progress = new SyncProgress(p =>
        {
            if (p.EpochEnd is not { } e) return;
            double trained = clock.Elapsed.TotalSeconds - excluded;
            if (logEpochs)
                BenchContext.Log($"  epoch {e.Epoch}/{options.Epochs} loss {e.Train[0].Value:F4} lr {e.LearningRate:G3} ({trained:F0} s)");
            if (afterEpoch is not null && callbackEpochs.Contains(e.Epoch))
            {
                var pause = Stopwatch.StartNew();
                afterEpoch(e.Epoch, trained);
                excluded += pause.Elapsed.TotalSeconds;
            }
        });
        Trainer.Fit(model, train, null, options, progress, services: Services);
        return clock.Elapsed.TotalSeconds - excluded;
    }

    /// <summary>A model from the registry with "key=value" settings, e.g. "arch=784-256-128-20,hidden=relu".</summary>
    public static AutoencoderModel Create(string name, string settings, int[] inputShape, ulong seed)
    {
        var dict = settings.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(kv => kv.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length == 2 ? kv[1] : throw new ArgumentException($"quality: setting '{kv[0]}' has no value"));
        return ModelRegistry.Create(name, dict, inputShape, new Rng(seed));
    }

    /// <summary>IProgress that runs on the caller's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
