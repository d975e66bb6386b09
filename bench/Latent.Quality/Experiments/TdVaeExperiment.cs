using System.Diagnostics;
using Latent.Core;
using Latent.Data.Generated;
using Latent.Models.TdVae;
using Latent.Models.Training;

namespace Latent.Quality.Experiments;

/// <summary>
/// The TD-VAE run of the tdvae section: trains TD-VAE on 1,024
/// 16-frame sequences of 16×16 moving sprites (seed 1), then scores jumpy prediction on 256 held-out sequences
/// (seed 2) after 8 observed frames, k = 1..8 ahead, with the means (<see cref="TdVaeEvaluation.JumpyPrediction"/>).
/// </summary>
internal static class TdVaeExperiment
{
    public sealed record Result(TdVae Model, MovingSpritesData Test, double TrainSeconds, TdVaeJumpyReport Jumpy);

    /// <summary>Trains for <paramref name="epochs"/> at <paramref name="lr"/> (Adam, batch 32, seed 1), calling
    /// <paramref name="onEpoch"/> after every epoch and <paramref name="beforeScoring"/> before the jumpy scoring.</summary>
    public static Result Run(int epochs, float lr, Action<EpochMetrics>? onEpoch, Action<TdVae, MovingSpritesData>? beforeScoring = null,
        TdVaeOptions? options = null, int trainCount = 1024, int testCount = 256, int size = 16, int frames = 16, int batchSize = 32, float speed = 1f, ulong seed = 1)
    {
        var train = MovingSprites.Generate(trainCount, frames, size, seed: 1, speed: speed);
        var test = MovingSprites.Generate(testCount, frames, size, seed: 2, speed: speed);
        var model = new TdVae(options ?? new TdVaeOptions(), train.Sequences.SampleShape, new Rng(seed));
        var clock = Stopwatch.StartNew();
        Trainer.Fit(model, train.Sequences, null, new TrainingOptions { Epochs = epochs, BatchSize = batchSize, LearningRate = lr, Seed = seed, CheckpointEvery = 0 },
            onEpoch is null ? null : new EpochCallback(onEpoch));
        double seconds = clock.Elapsed.TotalSeconds;
        beforeScoring?.Invoke(model, test);
        var jumpy = TdVaeEvaluation.JumpyPrediction(model, test, observed: 8, maxAhead: 8, new Rng(5));
        return new Result(model, test, seconds, jumpy);
    }

    private sealed class EpochCallback(Action<EpochMetrics> onEpoch) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) { if (value.EpochEnd is { } e) onEpoch(e); }
    }
}
