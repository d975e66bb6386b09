using System.Diagnostics;
using System.Globalization;
using System.Text;
using Latent.Core;
using Latent.Core.IO;
using Latent.Data;
using Latent.Models.Metrics;
using Latent.NN.Optim;

namespace Latent.Models.Training;

/// <summary>
/// The one training loop: mini-batch training of any <see cref="ITrainable"/> (a model, one layer of a stack, a prior
/// over codes) on the phases it declares (<see cref="ITrainable.TrainingPhases"/>), with seeded shuffling, optional
/// image augmentation of the training batches (<see cref="TrainingOptions.Augmentation"/>), per-term epoch averages,
/// validation, early stopping, learning-rate schedules, gradient clipping, regularisation warm-up, a NaN/Inf guard,
/// atomic checkpoints, exact resume and cancellation. No console output: progress goes to the callback.
/// </summary>
public static class Trainer
{
    /// <summary>File name of the main stage's checkpoint inside the checkpoint folder (<see cref="CheckpointFile"/>).</summary>
    public const string CheckpointFileName = "checkpoint.latent";

    /// <summary>File name of the per-epoch metrics table inside <see cref="TrainingOptions.OutputDirectory"/>.</summary>
    public const string MetricsFileName = "metrics.csv";

    /// <summary>The checkpoint file name of a stage: <see cref="CheckpointFileName"/> for the main stage (null), else checkpoint.STAGE.latent.</summary>
    public static string CheckpointFile(string? stage) => stage is null ? CheckpointFileName : $"checkpoint.{stage}.latent";

    /// <summary>
    /// Trains <paramref name="model"/> in place.
    /// <para>Determinism: shuffling is seeded with <see cref="TrainingOptions.Seed"/>, the model's noise forked from it; the
    /// same seed and thread count repeat the losses bit for bit, and a resume (<paramref name="resumeFrom"/> or
    /// <see cref="TrainingOptions.Resume"/>) restores both streams, the epoch's order, every phase's optimizer and schedule
    /// and the partial sums, so an interrupted-then-resumed run has exactly the losses of an uninterrupted one.</para>
    /// <para>Each step runs the phases in order (<see cref="TrainingPhase"/>): losses → NaN/Inf guard
    /// (<see cref="TrainingDivergedException"/> naming epoch, step and term, before the update) → backward of the phase's
    /// term → clipping of its parameters → its optimizer's step. Each epoch: validation, <c>metrics.csv</c>, early stopping
    /// (restores the best weights), checkpoint every N epochs. Cancellation finishes the step, writes a checkpoint and
    /// returns <see cref="TrainingStatus.Cancelled"/>.</para>
    /// </summary>
    /// <param name="model">The model or objective; trained in place.</param>
    /// <param name="trainData">Training samples shaped like <see cref="ITrainable.InputShape"/>.</param>
    /// <param name="validData">Validation samples, or null (then <see cref="TrainingOptions.ValidationFraction"/> may split one off); models only.</param>
    /// <param name="options">Training options.</param>
    /// <param name="progress">Receives a report after every step and every epoch (synchronously), or null.</param>
    /// <param name="cancellationToken">Stops training cleanly at the end of the current step.</param>
    /// <param name="resumeFrom">A checkpoint written by an earlier run with the same batch size, seed and shuffling, or null.</param>
    /// <param name="services">Optimizer factory and clipper; null = <see cref="TrainerServices.Default"/>.</param>
    public static TrainingResult Fit(
        ITrainable model,
        Dataset trainData,
        Dataset? validData,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default,
        string? resumeFrom = null,
        TrainerServices? services = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(options);
        var augmentation = options.Check();
        services ??= TrainerServices.Default;
        CheckData(model, trainData, nameof(trainData));
        if (validData is not null) CheckData(model, validData, nameof(validData));
        if (options.GradientClip > 0f && services.ClipGradNorm is null)
            throw new ArgumentException("training: gradient clipping needs TrainerServices.ClipGradNorm", nameof(options));

        if (validData is null && options.ValidationFraction > 0)
            (trainData, validData) = Split(trainData, options.ValidationFraction, options.Seed);
        if (validData is null && options.EarlyStoppingPatience > 0)
            throw new ArgumentException("training: early stopping needs validation data or a validation fraction", nameof(options));
        if (validData is not null && model is not AutoencoderModel)
            throw new ArgumentException($"training: '{model.Name}' is not a model; validation is for models only", nameof(validData));
        if (!augmentation.IsNone && trainData.SampleShape.Length is not (2 or 3))
            throw new ArgumentException($"training: augmentation '{options.Augmentation}' needs image samples [C, H, W] or [H, W], dataset '{trainData.Name}' has {Shapes.Format(trainData.SampleShape)}", nameof(options));

        int n = trainData.Count, batch = options.BatchSize;
        int stepsPerEpoch = (n + batch - 1) / batch;
        long totalSteps = (long)stepsPerEpoch * options.Epochs;
        var phases = CreatePhases(model, options, services, stepsPerEpoch);
        string? checkpointDir = options.CheckpointDirectory ?? options.OutputDirectory;
        string? checkpointPath = checkpointDir is null ? null : Path.Combine(checkpointDir, CheckpointFile(options.Stage));
        string? metricsPath = options.OutputDirectory is null ? null : Path.Combine(options.OutputDirectory, MetricsFileName);
        if (resumeFrom is null && options.Resume && checkpointPath is not null && File.Exists(checkpointPath)) resumeFrom = checkpointPath;
        var parallel = options.ProcessGroup is { } group ? new DataParallel(group, options.GradientBucketBytes) : null;
        parallel?.Check(n, batch);
        bool writes = options.ProcessGroup is not { Rank: > 0 }; // only rank 0 writes metrics and checkpoints
        if (!writes) metricsPath = null;

        var s = new RunState(options.Seed);
        if (resumeFrom is not null)
        {
            s.Restore(Checkpoint.Load(resumeFrom), model, phases, options, n, resumeFrom);
        }
        parallel?.BroadcastWeights(model);
        if (metricsPath is not null && s.History.Count > 0) WriteMetrics(metricsPath, s.History);
        else if (metricsPath is not null && File.Exists(metricsPath)) File.Delete(metricsPath);
        if (s.Status == "early_stopped") return Result(TrainingStatus.EarlyStopped, s, resumeFrom); // metrics.csv first: a resumed run's folder gets it too

        model.Module.Train();
        var clock = Stopwatch.StartNew();
        long samplesThisCall = 0, stepsThisCall = 0;
        double lastLr = phases[0].Optimizer.LearningRate;
        bool cancelled = false;
        TrainingResult Finish(TrainingStatus status, string state)
        {
            s.Status = state;
            SaveCheckpoint(writes ? checkpointPath : null, s, model, phases, options);
            return Result(status, s, checkpointPath);
        }

        while (s.Epoch < options.Epochs)
        {
            var epochClock = Stopwatch.StartNew();
            s.Permutation ??= options.Shuffle ? s.ShuffleRng.Permutation(n) : Enumerable.Range(0, n).ToArray();
            while (s.StepInEpoch < stepsPerEpoch)
            {
                int start = s.StepInEpoch * batch, count = Math.Min(batch, n - start);
                var (offset, local) = parallel?.Shard(count) ?? (0, count);
                var batchIndices = s.Permutation.AsSpan(start + offset, local);
                var x = trainData.Batch(batchIndices);
                var labels = BatchLabels(trainData, batchIndices);
                if (!augmentation.IsNone) x = augmentation.Apply(x, s.ModelRng);
                float lr = phases[0].Optimizer.LearningRate;
                lastLr = lr;
                var ctx = new TrainingContext(s.ModelRng, s.Epoch, s.GlobalStep,
                    progress: Math.Min(1.0, (double)s.GlobalStep / totalSteps),
                    regularisationWeight: WarmupWeight(options.WarmupEpochs, s.GlobalStep, stepsPerEpoch)) { Labels = labels };
                float warm = LrWarmup(options, s.GlobalStep, stepsPerEpoch);
                var rates = warm == 1f ? null : phases.Select(p => p.Optimizer.LearningRate).ToArray();
                if (rates is not null) for (int i = 0; i < phases.Count; i++) phases[i].Optimizer.LearningRate = rates[i] * warm;
                // A data-parallel run stops where any rank was asked to: the request travels with the step's gradients.
                var (values, stopRequested) = Step(phases, x, ctx, options, services, s.Epoch + 1, s.GlobalStep + 1, parallel, local, count,
                    parallel is not null && cancellationToken.IsCancellationRequested);
                if (rates is not null) for (int i = 0; i < phases.Count; i++) phases[i].Optimizer.LearningRate = rates[i]; // the schedule sees the unwarmed rate
                foreach (var p in phases) p.Schedule.AfterStep();

                s.Accumulate(values, count);
                s.StepInEpoch++;
                s.GlobalStep++;
                samplesThisCall += count;
                stepsThisCall++;
                progress?.Report(Report(s, options, totalSteps, values, null, lr, clock, samplesThisCall, stepsThisCall));

                if (parallel is null ? cancellationToken.IsCancellationRequested : stopRequested)
                {
                    cancelled = true;
                    if (s.StepInEpoch < stepsPerEpoch)
                    {
                        s.PartialSeconds += epochClock.Elapsed.TotalSeconds;
                        return Finish(TrainingStatus.Cancelled, "cancelled");
                    }
                    // The cancelled step ended the epoch: close the epoch normally, then stop.
                }
            }

            bool stop = EndEpoch(s, model, validData, options, lastLr, metricsPath, epochClock.Elapsed.TotalSeconds);
            parallel?.VerifyReplicas(model, s.Epoch);
            var closed = s.History[^1];
            foreach (var p in phases) p.Schedule.AfterEpoch((closed.Validation ?? closed.Train)[0].Value);
            progress?.Report(Report(s, options, totalSteps, [], s.History[^1], lastLr, clock, samplesThisCall, stepsThisCall));
            if (stop)
            {
                model.Module.LoadStateDict(s.BestWeights!.ToDictionary(p => p.Name, p => p.Tensor));
                return Finish(TrainingStatus.EarlyStopped, "early_stopped");
            }
            if (cancelled && s.Epoch < options.Epochs) return Finish(TrainingStatus.Cancelled, "cancelled");
            if (options.CheckpointEvery > 0 && s.Epoch % options.CheckpointEvery == 0 && s.Epoch < options.Epochs)
                _ = Finish(TrainingStatus.Completed, "running"); // a periodic checkpoint; training goes on
        }
        return Finish(TrainingStatus.Completed, "completed");
    }

    /// <summary>A phase as the trainer runs it: the declaration, its optimizer and the schedule driving that optimizer.</summary>
    private sealed record ActivePhase(TrainingPhase Phase, Optimizer Optimizer, LrSchedule Schedule);

    private static List<ActivePhase> CreatePhases(ITrainable model, TrainingOptions options, TrainerServices services, int stepsPerEpoch)
    {
        var declared = model.TrainingPhases();
        if (declared is null || declared.Count == 0) throw new ArgumentException($"training: '{model.Name}' declares no training phases", nameof(model));
        var phases = new List<ActivePhase>();
        foreach (var phase in declared)
        {
            if (string.IsNullOrEmpty(phase.Name) || !phase.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || phases.Any(p => p.Phase.Name == phase.Name))
                throw new ArgumentException($"training: '{model.Name}' has a phase named '{phase.Name}'; names must be unique letters, digits, '-' or '_'", nameof(model));
            if (phase.Parameters.Count == 0) throw new ArgumentException($"training: phase '{phase.Name}' of '{model.Name}' has no parameters", nameof(model));
            var spec = phase.Optimizer with { Name = phase.Optimizer.Name ?? options.Optimizer, LearningRate = (float)((phase.Optimizer.LearningRate ?? options.LearningRate) * options.LrScale()) };
            var optimizer = services.CreateOptimizer(spec, phase.Parameters);
            phases.Add(new ActivePhase(phase, optimizer, LrSchedule.Create(options.Schedule, optimizer, stepsPerEpoch, options.Epochs)));
        }
        return phases;
    }

    /// <summary>
    /// One step: every phase in order; returns the last phase's terms (read as numbers inside the step). The step runs in
    /// a <see cref="Tensor.Step"/> scope, so the next step reuses this one's graph storage (bit-identical results).
    /// </summary>
    private static (IReadOnlyList<KeyValuePair<string, double>> Values, bool Stop) Step(List<ActivePhase> phases, Tensor x, TrainingContext ctx,
        TrainingOptions options, TrainerServices services, int epoch, long step, DataParallel? parallel, int local, int global, bool stop)
    {
        using var scope = Tensor.Step();
        IReadOnlyList<KeyValuePair<string, double>> values = [];
        bool stopAny = false;
        for (int k = 0; k < phases.Count; k++)
        {
            var (phase, optimizer, _) = phases[k];
            optimizer.ZeroGrad();
            var terms = phase.Loss(x, ctx);
            values = terms.Values();
            Guard(values, epoch, step);
            var minimised = terms.All().FirstOrDefault(t => t.Key == phase.Term).Value
                ?? throw new ArgumentException($"training: phase '{phase.Name}' minimises term '{phase.Term}', which its loss does not return", nameof(phases));
            if (parallel is null) minimised.Backward();
            else
            {
                var buckets = parallel.Buckets(k, phase.Parameters, values.Count);
                buckets.Begin(values, local, global, stop);
                minimised.Backward(gradientReady: buckets.GradientReady); // buckets are reduced while the pass goes on
                (values, bool stopHere) = buckets.Finish(values);
                stopAny |= stopHere;
            }
            if (options.GradientClip > 0f)
            {
                float norm = services.ClipGradNorm!(phase.Parameters, options.GradientClip);
                if (!float.IsFinite(norm)) throw new TrainingDivergedException(epoch, step, phases.Count == 1 ? "gradient_norm" : $"{phase.Name}_gradient_norm", norm);
            }
            optimizer.Step();
        }
        if (phases.Count > 1) foreach (var p in phases) p.Optimizer.ZeroGrad(); // a later phase's backward may reach an earlier phase's parameters
        return (values, stopAny);
    }

    /// <summary>The learning-rate warm-up factor of this step: (1 + (k − 1)·t)/k for t = step/(W·steps per epoch) ≤ 1 (Goyal et al. §2.2), t with no scaling.</summary>
    internal static float LrWarmup(TrainingOptions options, long step, int stepsPerEpoch)
    {
        if (options.LrWarmupEpochs <= 0) return 1f;
        double t = Math.Min(1.0, step / (options.LrWarmupEpochs * stepsPerEpoch)), k = options.LrScale();
        return (float)(k > 1 ? (1 + (k - 1) * t) / k : Math.Max(t, 1.0 / (options.LrWarmupEpochs * stepsPerEpoch)));
    }

    /// <summary>The labels of the samples at <paramref name="indices"/> [B], or null when <paramref name="data"/> has none.</summary>
    internal static int[]? BatchLabels(Dataset data, ReadOnlySpan<int> indices)
    {
        if (data.Labels is null) return null;
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++) labels[i] = data.Labels[indices[i]];
        return labels;
    }

    /// <summary>Linear warm-up 0 → 1 over <paramref name="warmupEpochs"/> epochs, measured in steps.</summary>
    internal static float WarmupWeight(double warmupEpochs, long step, int stepsPerEpoch)
    {
        if (warmupEpochs <= 0) return 1f;
        return (float)Math.Min(1.0, step / (warmupEpochs * stepsPerEpoch));
    }

    /// <summary>Closes an epoch: averages, validation, history, metrics.csv, early-stopping bookkeeping. True = stop now.</summary>
    private static bool EndEpoch(RunState s, ITrainable model, Dataset? validData, TrainingOptions options, double lr, string? metricsPath, double seconds)
    {
        var train = s.PartialSums.Select(kv => new KeyValuePair<string, double>(kv.Key, kv.Value / s.PartialSamples)).ToList();
        IReadOnlyList<KeyValuePair<string, double>>? valid = null;
        if (validData is not null)
            valid = Evaluation.AverageLossTerms((AutoencoderModel)model, validData, options.BatchSize, new Rng(options.Seed ^ 0xA5A5_5A5A_0F0F_F0F0UL));
        s.History.Add(new EpochMetrics(s.Epoch + 1, train, valid, lr, s.PartialSeconds + seconds));
        s.Epoch++;
        s.StepInEpoch = 0;
        s.Permutation = null;
        s.PartialSums.Clear();
        s.PartialSamples = 0;
        s.PartialSeconds = 0;
        if (metricsPath is not null) WriteMetrics(metricsPath, s.History);

        if (valid is null) return false;
        double loss = valid[0].Value;
        if (double.IsNaN(s.BestValidationLoss) || loss < s.BestValidationLoss)
        {
            s.BestValidationLoss = loss;
            s.BestEpoch = s.Epoch;
            s.EpochsWithoutImprovement = 0;
            s.BestWeights = model.Module.StateDict().Select(p => (p.Name, p.Tensor.Clone())).ToList();
            return false;
        }
        s.EpochsWithoutImprovement++;
        return options.EarlyStoppingPatience > 0 && s.EpochsWithoutImprovement >= options.EarlyStoppingPatience;
    }

    private static void Guard(IReadOnlyList<KeyValuePair<string, double>> values, int epoch, long step)
    {
        // Name the most specific term: a NaN KL makes the total NaN too, and "kl" says more than "total".
        for (int i = 1; i < values.Count; i++)
            if (!double.IsFinite(values[i].Value)) throw new TrainingDivergedException(epoch, step, values[i].Key, values[i].Value);
        if (!double.IsFinite(values[0].Value)) throw new TrainingDivergedException(epoch, step, values[0].Key, values[0].Value);
    }

    private static void SaveCheckpoint(string? path, RunState s, ITrainable model, List<ActivePhase> phases, TrainingOptions options)
    {
        if (path is null) return;
        new Checkpoint
        {
            ModelName = model.Name,
            ModelOptions = model.OptionsText,
            InputShape = model.InputShape,
            Stage = options.Stage,
            Weights = model.Module.StateDict().ToList(),
            BestWeights = s.BestWeights ?? [],
            Optimizers = phases.Select(p => OptimizerSnapshot.Capture(p.Optimizer, p.Phase.Name, p.Schedule.Scheduler.GetState())).ToList(),
            Schedule = phases[0].Schedule.Spec,
            ShuffleRngState = s.ShuffleRng.GetState(),
            ModelRngState = s.ModelRng.GetState(),
            EpochsCompleted = s.Epoch,
            StepInEpoch = s.StepInEpoch,
            GlobalStep = s.GlobalStep,
            Permutation = s.StepInEpoch > 0 ? s.Permutation : null,
            PartialSums = s.PartialSums.ToList(),
            PartialSamples = s.PartialSamples,
            PartialSeconds = s.PartialSeconds,
            History = s.History,
            BestEpoch = s.BestEpoch,
            BestValidationLoss = s.BestValidationLoss,
            EpochsWithoutImprovement = s.EpochsWithoutImprovement,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            Shuffle = options.Shuffle,
            Status = s.Status,
        }.Save(path);
    }

    /// <summary>Writes metrics.csv from the whole history (atomically, header once), so a resumed run never duplicates rows.</summary>
    private static void WriteMetrics(string path, IReadOnlyList<EpochMetrics> history)
    {
        var terms = new List<string>();
        foreach (var e in history)
            foreach (var (k, _) in e.Train.Concat(e.Validation ?? []))
                if (!terms.Contains(k)) terms.Add(k);
        bool hasValid = history.Any(e => e.Validation is not null);
        var sb = new StringBuilder("epoch");
        foreach (var t in terms) sb.Append(",train_").Append(t);
        if (hasValid) foreach (var t in terms) sb.Append(",val_").Append(t);
        sb.Append(",lr,seconds\n");
        foreach (var e in history)
        {
            sb.Append(e.Epoch.ToString(CultureInfo.InvariantCulture));
            foreach (var t in terms) sb.Append(',').Append(Format(e.TrainValue(t)));
            if (hasValid) foreach (var t in terms) sb.Append(',').Append(Format(e.ValidationValue(t)));
            sb.Append(',').Append(FormatRate(e.LearningRate)).Append(',').Append(e.Seconds.ToString("F3", CultureInfo.InvariantCulture)).Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    private static string Format(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A learning rate as metrics.csv writes it: the optimizer holds it as a float, so its shortest float text, in plain
    /// decimal notation whatever its size ("0.001", "0.00005"; never "0.0010000000474974513" or "5E-05").
    /// </summary>
    internal static string FormatRate(double v)
    {
        if (!double.IsFinite(v)) return double.IsNaN(v) ? "" : v.ToString(CultureInfo.InvariantCulture);
        string shortest = ((float)v).ToString("R", CultureInfo.InvariantCulture);
        return decimal.TryParse(shortest, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) && (d != 0 || v == 0)
            ? d.ToString(CultureInfo.InvariantCulture)
            : shortest;
    }

    private static TrainingProgress Report(RunState s, TrainingOptions options, long totalSteps, IReadOnlyList<KeyValuePair<string, double>> terms,
        EpochMetrics? epochEnd, double lr, Stopwatch clock, long samples, long steps)
    {
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        double perStep = steps > 0 ? seconds / steps : 0;
        return new TrainingProgress
        {
            Stage = options.Stage,
            Epoch = epochEnd is null ? s.Epoch : s.Epoch - 1,
            Epochs = options.Epochs,
            Step = s.GlobalStep,
            TotalSteps = totalSteps,
            Terms = terms,
            EpochEnd = epochEnd,
            LearningRate = lr,
            SamplesPerSecond = samples / seconds,
            Eta = TimeSpan.FromSeconds(Math.Max(0, totalSteps - s.GlobalStep) * perStep),
        };
    }

    private static TrainingResult Result(TrainingStatus status, RunState s, string? checkpoint) =>
        new(status, s.Epoch, s.GlobalStep, s.History.ToList(), s.BestEpoch, s.BestValidationLoss, checkpoint);

    private static void CheckData(ITrainable model, Dataset data, string name)
    {
        if (data.Count == 0) throw new ArgumentException($"training: dataset '{data.Name}' is empty", name);
        if (!Shapes.Equal(data.SampleShape, model.InputShape))
            throw new ArgumentException($"training: dataset '{data.Name}' has samples {Shapes.Format(data.SampleShape)}, model '{model.Name}' expects {Shapes.Format(model.InputShape)}", name);
    }

    /// <summary>Holds out round(fraction·N) samples (at least 1, leaving at least 1) chosen by a seeded permutation.</summary>
    /// <summary>
    /// How many of <paramref name="samples"/> training samples <see cref="Fit"/> holds out for validation with
    /// <see cref="TrainingOptions.ValidationFraction"/> = <paramref name="fraction"/> (and no validation set given):
    /// round(fraction · samples), at least 1 and leaving at least 1; 0 when the fraction is 0.
    /// </summary>
    public static int ValidationCount(int samples, double fraction) =>
        fraction > 0 && samples >= 2 ? Math.Clamp((int)Math.Round(fraction * samples), 1, samples - 1) : 0;

    private static (Dataset Train, Dataset Valid) Split(Dataset data, double fraction, ulong seed)
    {
        if (data.Count < 2) throw new ArgumentException($"training: cannot split {data.Count} sample(s) for validation", nameof(data));
        int nValid = ValidationCount(data.Count, fraction);
        var perm = new Rng(seed ^ 0x5EED_5A1D_0000_0001UL).Permutation(data.Count);
        // Data read on demand stays so for training; the validation rows, read every epoch, are loaded.
        return (data.Subset(perm.AsSpan(nValid), data.Name + "/train"), data.Subset(perm.AsSpan(0, nValid), data.Name + "/valid").InMemory());
    }

    /// <summary>Everything that changes while training and is saved in a checkpoint.</summary>
    private sealed class RunState
    {
        public RunState(ulong seed)
        {
            ShuffleRng = new Rng(seed);
            ModelRng = ShuffleRng.Fork();
        }

        public Rng ShuffleRng { get; }
        public Rng ModelRng { get; }
        public int Epoch;
        public int StepInEpoch;
        public long GlobalStep;
        public int[]? Permutation;
        public readonly List<KeyValuePair<string, double>> PartialSums = [];
        public long PartialSamples;
        public double PartialSeconds;
        public readonly List<EpochMetrics> History = [];
        public int BestEpoch;
        public double BestValidationLoss = double.NaN;
        public int EpochsWithoutImprovement;
        public List<(string Name, Tensor Tensor)>? BestWeights;
        public string Status = "running";

        public void Accumulate(IReadOnlyList<KeyValuePair<string, double>> values, int count)
        {
            foreach (var (k, v) in values)
            {
                int i = PartialSums.FindIndex(p => p.Key == k);
                if (i < 0) PartialSums.Add(new(k, v * count));
                else PartialSums[i] = new(k, PartialSums[i].Value + v * count);
            }
            PartialSamples += count;
        }

        public void Restore(Checkpoint c, ITrainable model, List<ActivePhase> phases, TrainingOptions options, int n, string path)
        {
            string Mismatch(string what) => $"training: cannot resume from '{path}': {what}";
            if (c.ModelName != model.Name) throw new ArgumentException(Mismatch($"it holds model '{c.ModelName}', not '{model.Name}'"), nameof(path));
            if (c.Stage != options.Stage) throw new ArgumentException(Mismatch($"it holds stage '{c.Stage ?? "main"}', not '{options.Stage ?? "main"}'"), nameof(path));
            if (!Shapes.Equal(c.InputShape, model.InputShape))
                throw new ArgumentException(Mismatch($"input shape {Shapes.Format(c.InputShape)} != {Shapes.Format(model.InputShape)}"), nameof(path));
            if (c.BatchSize != options.BatchSize || c.Seed != options.Seed || c.Shuffle != options.Shuffle)
                throw new ArgumentException(Mismatch($"it used batch size {c.BatchSize}, seed {c.Seed}, shuffle {c.Shuffle}; the options say {options.BatchSize}, {options.Seed}, {options.Shuffle}"), nameof(path));
            if (c.Permutation is not null && c.Permutation.Length != n)
                throw new ArgumentException(Mismatch($"its epoch order covers {c.Permutation.Length} samples, the training set has {n}"), nameof(path));
            if (c.Schedule is not null && c.Schedule != phases[0].Schedule.Spec)
                throw new ArgumentException(Mismatch($"it used learning-rate schedule '{c.Schedule}', the options say '{phases[0].Schedule.Spec}'"), nameof(path));
            if (c.Optimizers.Count != phases.Count)
                throw new ArgumentException(Mismatch($"it holds {c.Optimizers.Count} optimizer state(s), '{model.Name}' trains in {phases.Count} phase(s)"), nameof(path));
            model.Module.LoadStateDict(c.Weights.ToDictionary(p => p.Name, p => p.Tensor));
            for (int i = 0; i < phases.Count; i++)
            {
                var (phase, optimizer, schedule) = phases[i];
                var saved = c.Optimizers[i];
                if (saved.Phase is not null && saved.Phase != phase.Name)
                    throw new ArgumentException(Mismatch($"optimizer {i} belongs to phase '{saved.Phase}', not '{phase.Name}'"), nameof(path));
                // The schedule first: the optimizer's saved rate then wins where it does not follow from the schedule's counters (plateau).
                if (saved.SchedulerState is not null) schedule.Scheduler.SetState(saved.SchedulerState);
                saved.RestoreInto(optimizer);
            }
            ShuffleRng.SetState(c.ShuffleRngState);
            ModelRng.SetState(c.ModelRngState);
            Epoch = c.EpochsCompleted;
            StepInEpoch = c.StepInEpoch;
            GlobalStep = c.GlobalStep;
            Permutation = c.StepInEpoch > 0 ? c.Permutation : null;
            PartialSums.AddRange(c.PartialSums);
            PartialSamples = c.PartialSamples;
            PartialSeconds = c.PartialSeconds;
            History.AddRange(c.History);
            BestEpoch = c.BestEpoch;
            BestValidationLoss = c.BestValidationLoss;
            EpochsWithoutImprovement = c.EpochsWithoutImprovement;
            BestWeights = c.BestWeights.Count > 0 ? c.BestWeights.ToList() : null;
            Status = c.Status;
        }
    }
}
