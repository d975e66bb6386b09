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
/// schedules come from the library (LrSchedule).
/// </summary>
internal static class QualityTraining
{
    /// <summary>
    /// Trainer services: the library's own (its schedules include "constant" and "cosine[:warmup=E,min=M]", stepped
    /// per optimizer step; see Latent.Models.Training.LrSchedule).
    /// </summary>
    public static TrainerServices Services { get; } = TrainerServices.Default;

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>; after every epoch in <paramref name="callbackEpochs"/>
    /// (1-based) calls <paramref name="afterEpoch"/>(epoch, training seconds so far). Returns the training seconds.
    /// </summary>
    public static double Fit(AutoencoderModel model, Dataset train, TrainingOptions options,
        IReadOnlyCollection<int> callbackEpochs, Action<int, double>? afterEpoch, bool logEpochs = true,
        TrainerServices? services = null)
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
        Trainer.Fit(model, train, null, options, progress, services: services ?? Services);
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
