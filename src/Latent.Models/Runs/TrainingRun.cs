using System.Globalization;
using Latent.Core;
using Latent.Models.IO;
using Latent.Models.Metrics;
using Latent.Models.Training;

namespace Latent.Models.Runs;

/// <summary>
/// One training run, as <c>latent train</c> does it: build the model from the registry, pretrain (if
/// <see cref="IPretrainable"/>), train with checkpoints in <c>DIR/checkpoints/</c> and metrics in <c>DIR/metrics.csv</c>,
/// fit the code prior (if <see cref="IPriorModel"/> and asked), evaluate on the test split and write the model file.
/// Every stage is a <see cref="Trainer.Fit"/> with its own checkpoint file in <c>DIR/checkpoints/</c>
/// (<see cref="TrainingOptions.Stage"/>); a resumed run skips the finished stages and continues the interrupted one.
/// The run holds the folder's lock and writes metrics.csv, the model files and the report into a staging area that
/// replaces the previous run's outputs only at its successful end (<see cref="TrainingRunFolder"/>).
/// A cancelled run (in any stage) leaves its checkpoints and writes no model file; a diverged run throws
/// <see cref="TrainingDivergedException"/> with the last good checkpoint in place and no model file written. Either way
/// the previous run's metrics.csv, model files and report stay as they were.
/// </summary>
public static class TrainingRun
{
    /// <summary>The checkpoint folder inside a run folder.</summary>
    public const string CheckpointFolder = "checkpoints";

    /// <summary>Number of quantiles of the training scores kept in model.json.</summary>
    public const int ScoreQuantiles = 1001;

    /// <summary>The checkpoint of the run in <paramref name="dir"/>.</summary>
    public static string CheckpointPath(string dir) => Path.Combine(dir, CheckpointFolder, Trainer.CheckpointFileName);

    /// <summary>Builds the model the run will train (for <paramref name="data"/>).</summary>
    public static AutoencoderModel CreateModel(TrainingRunOptions options, LoadedData data)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        var info = ModelRegistry.Get(options.Model);
        var settings = ModelSettings.Build(info, data.Train.SampleShape, options.Architecture, options.CodeSize, options.Settings, data.Standardizer is not null);
        return info.Create(info.Schema.Parse(settings), data.Train.SampleShape, new Rng(options.Training.Seed));
    }

    /// <summary>
    /// Checks everything about a run that needs no data (ArgumentException naming the option): the training options
    /// (the learning-rate schedule's spec included) and, with <paramref name="trainingToo"/> false, only --prior-epochs and --trim (<see cref="Run"/> leaves the
    /// training options to <see cref="Trainer.Fit"/>). A command line calls it before loading data.
    /// </summary>
    public static void Validate(TrainingRunOptions options, bool trainingToo = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (trainingToo)
        {
            options.Training.Validate();
            // The schedule is parsed where it is built: build it once over a throwaway optimizer, so a bad spec fails here.
            _ = LrSchedule.Create(options.Training.Schedule, new Latent.NN.Optim.Sgd([Tensor.Zeros(1)], 1f), 1, Math.Max(1, options.Training.Epochs));
        }
        if (options.PriorEpochs < 0) throw new ArgumentException($"--prior-epochs {options.PriorEpochs} must be >= 0", nameof(options));
        if (!(options.TrimFraction >= 0 && options.TrimFraction < 1))
            throw new ArgumentException($"--trim {options.TrimFraction.ToString(CultureInfo.InvariantCulture)}: the fraction of training rows dropped must be in [0, 1)", nameof(options));
        if (options.TrimFraction > 0 && options.TrimRounds < 1)
            throw new ArgumentException($"--trim rounds {options.TrimRounds}: must be at least 1", nameof(options));
    }

    /// <summary>
    /// Runs training. <paramref name="onEpochEnd"/> is called after every epoch (synchronously, the model in training
    /// mode; switch to evaluation mode and back if you use it) — for pictures at chosen epochs. <paramref name="model"/>:
    /// a model from <see cref="CreateModel"/> (to watch it while it trains), or null to build one here.
    /// </summary>
    /// <param name="options">What to train and where.</param>
    /// <param name="data">The data.</param>
    /// <param name="progress">Progress reports, or null.</param>
    /// <param name="cancellationToken">Stops the run cleanly (checkpoint written, no model file).</param>
    /// <param name="onEpochEnd">Called after every epoch, or null.</param>
    /// <param name="model">The model to train, or null.</param>
    /// <param name="writeOutputs">Called at the successful end with the staging folder (<see cref="TrainingRunFolder.Staging"/>) and the
    /// result, before the commit: files it writes there (the report) replace the previous run's together with the model.</param>
    public static TrainingRunResult Run(TrainingRunOptions options, LoadedData data, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default, Action<EpochMetrics, AutoencoderModel>? onEpochEnd = null, AutoencoderModel? model = null,
        Action<string, TrainingRunResult>? writeOutputs = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate(options, trainingToo: false);
        string dir = options.OutputDirectory, checkpoints = Path.Combine(dir, CheckpointFolder);
        model ??= CreateModel(options, data);
        if (options.Resume && !(Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints, "checkpoint*.latent").Any()))
            throw new FileNotFoundException($"--resume: no checkpoint at '{CheckpointPath(dir)}'", CheckpointPath(dir));
        // Only one process owns the folder: in a data-parallel run that is rank 0 (the other ranks write nothing).
        using var folder = options.Training.ProcessGroup is { Rank: > 0 } ? null : TrainingRunFolder.Open(dir);
        if (options.Resume) folder?.ClearStaging();
        else folder?.StartFresh();
        string staging = Path.Combine(dir, TrainingRunFolder.StagingFolderName);
        var training = options.Training with { OutputDirectory = staging, CheckpointDirectory = checkpoints, Resume = options.Resume };

        var config = Configuration(options, model, data, training);
        TrainingRunResult Cancelled(TrainingResult r) { model.Eval(); return new TrainingRunResult(model, r with { Status = TrainingStatus.Cancelled }, null, config); }
        if (model is IPretrainable pretrainable && !(options.Resume && File.Exists(CheckpointPath(dir))) // a main checkpoint holds the pretrained weights
            && pretrainable.Pretrain(data.Train, training, progress, cancellationToken) is { Status: TrainingStatus.Cancelled } pretrained) return Cancelled(pretrained);
        var result = Trainer.Fit(model, data.Train, null, training, new Relay(progress, onEpochEnd, model), cancellationToken);
        if (result.Status == TrainingStatus.Cancelled) return Cancelled(result);
        if (options.TrimFraction > 0)
        {
            result = Trim(model, data.Train, training, options, progress, cancellationToken, result);
            if (result.Status == TrainingStatus.Cancelled) return Cancelled(result);
        }

        if (model is IPriorModel prior && options.PriorEpochs > 0)
        {
            try { prior.FitPrior(data.Train, training with { Epochs = options.PriorEpochs }, progress, cancellationToken); }
            catch (TrainingCancelledException e) { return Cancelled(e.Result); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { return Cancelled(result); }
        }
        model.Eval();
        if (training.ProcessGroup is { Rank: > 0 }) return new TrainingRunResult(model, result, null, config); // rank 0 evaluates and writes the model

        var metrics = new Dictionary<string, double>();
        var scores = Evaluation.Reconstruction(model, data.Test);
        metrics["test_sse_per_image"] = scores.SsePerImage;
        metrics["test_mse"] = scores.Mse;
        metrics["test_bce"] = scores.Bce;
        foreach (var (k, v) in Evaluation.AverageLossTerms(model, data.Test)) metrics["test_" + k] = v;
        if (result.History.Count > 0)
            foreach (var (k, v) in result.History[^1].Train) metrics["train_" + k] = v;
        metrics["epochs"] = result.EpochsCompleted;
        var quantiles = Quantiles(Evaluation.SquaredErrorPerSample(model, data.Train), ScoreQuantiles);

        var manifest = ModelFile.Save(staging, model, new ModelManifest
        {
            Model = model.Name,
            Options = model.Options.ToText(),
            CodeSize = model.CodeSize,
            InputShape = model.InputShape,
            Data = data.Description,
            Training = config.ToDictionary(kv => kv.Key, kv => kv.Value),
            Metrics = metrics,
            TrainingScoreQuantiles = quantiles,
        });
        var run = new TrainingRunResult(model, result, manifest, config);
        writeOutputs?.Invoke(staging, run);
        folder!.Commit();
        return run;
    }

    /// <summary>
    /// The trimming rounds of <see cref="TrainingRunOptions.TrimFraction"/>: score every training row by its squared
    /// reconstruction error, keep the round((1 − fraction)·n) lowest (ties in row order), and continue training on those
    /// rows with the same options and a fresh optimizer, without checkpoints or metrics files (a cancelled or resumed
    /// run repeats the rounds from the checkpoint of the main training, so the result does not depend on where it
    /// stopped). Returns the main result with the rounds' epochs (numbered on from the main training's) and steps added,
    /// or the main result marked Cancelled.
    /// </summary>
    private static TrainingResult Trim(AutoencoderModel model, Latent.Data.Dataset train, TrainingOptions training, TrainingRunOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, TrainingResult main)
    {
        var roundOptions = training with { OutputDirectory = null, CheckpointDirectory = null, CheckpointEvery = 0, Resume = false };
        int keep = Math.Clamp((int)Math.Round((1 - options.TrimFraction) * train.Count), Math.Min(train.Count, 2), train.Count);
        var history = main.History.ToList();
        long steps = main.Steps;
        int epochs = main.EpochsCompleted;
        for (int round = 0; round < options.TrimRounds; round++)
        {
            model.Eval();
            var scores = Evaluation.SquaredErrorPerSample(model, train);
            var kept = Enumerable.Range(0, train.Count).OrderBy(i => scores[i]).Take(keep).Order().ToArray();
            model.Train();
            var r = Trainer.Fit(model, train.Subset(kept, $"{train.Name}:trimmed"), null, roundOptions, progress, cancellationToken);
            int offset = epochs;
            history.AddRange(r.History.Select(h => h with { Epoch = h.Epoch + offset })); // epochs keep counting across rounds
            steps += r.Steps;
            epochs += r.EpochsCompleted;
            if (r.Status == TrainingStatus.Cancelled) return main with { Status = TrainingStatus.Cancelled };
        }
        return main with { EpochsCompleted = epochs, Steps = steps, History = history };
    }

    /// <summary>The values at <paramref name="count"/> evenly spaced probabilities 0..1 of <paramref name="values"/> (linear interpolation).</summary>
    public static float[] Quantiles(float[] values, int count)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0 || count < 1) return [];
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        var q = new float[count];
        for (int i = 0; i < count; i++)
        {
            double pos = count == 1 ? 0 : (double)i * (sorted.Length - 1) / (count - 1);
            int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
            q[i] = (float)(sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]));
        }
        return q;
    }

    private static List<KeyValuePair<string, string>> Configuration(TrainingRunOptions o, AutoencoderModel model, LoadedData data, TrainingOptions t)
    {
        string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        var list = new List<KeyValuePair<string, string>>
        {
            new("model", model.Name),
            new("options", model.Options.ToText()),
            new("code_size", model.CodeSize.ToString(CultureInfo.InvariantCulture)),
            new("parameters", model.ParameterCount().ToString("N0", CultureInfo.InvariantCulture)),
            new("data", data.Description.Source),
            new("data_description", data.Description.Description ?? data.Description.Kind),
            new("train_samples", data.Train.Count.ToString(CultureInfo.InvariantCulture)),
            new("test_samples", data.Test.Count.ToString(CultureInfo.InvariantCulture)),
            new("epochs", t.Epochs.ToString(CultureInfo.InvariantCulture)),
            new("batch_size", t.BatchSize.ToString(CultureInfo.InvariantCulture)),
            new("learning_rate", F(t.LearningRate)),
            new("optimizer", t.Optimizer),
            new("schedule", t.Schedule),
            new("gradient_clip", F(t.GradientClip)),
            new("warmup_epochs", F(t.WarmupEpochs)),
            new("patience", t.EarlyStoppingPatience.ToString(CultureInfo.InvariantCulture)),
            new("validation_fraction", F(t.ValidationFraction)),
            new("seed", t.Seed.ToString(CultureInfo.InvariantCulture)),
            new("threads", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
        };
        if (o.PriorEpochs > 0) list.Add(new("prior_epochs", o.PriorEpochs.ToString(CultureInfo.InvariantCulture)));
        if (o.TrimFraction > 0) list.Add(new("trim", $"{F(o.TrimFraction)} x {o.TrimRounds.ToString(CultureInfo.InvariantCulture)} rounds"));
        foreach (var kv in o.Extra) list.Add(kv);
        return list;
    }

    /// <summary>Forwards progress and calls the epoch hook.</summary>
    private sealed class Relay(IProgress<TrainingProgress>? inner, Action<EpochMetrics, AutoencoderModel>? onEpochEnd, AutoencoderModel model) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.EpochEnd is { } e) onEpochEnd?.Invoke(e, model);
            inner?.Report(value);
        }
    }
}
