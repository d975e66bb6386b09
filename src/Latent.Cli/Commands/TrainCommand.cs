using System.CommandLine;
using System.Globalization;
using Latent.Distributed;
using Latent.Models;
using Latent.Models.Runs;
using Latent.Models.Training;
using Latent.Viz.Report;

namespace Latent.Cli.Commands;

/// <summary><c>latent train</c>.</summary>
internal static class TrainCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model name (see 'latent models')", DefaultValueFactory = _ => "ae" };
        var code = new Option<int?>("--code") { Description = "Code size (the last layer of --arch, or the model's code-size option)" };
        var arch = new Option<string?>("--arch") { Description = "Layer sizes from input to code, e.g. 784-256-128-20 (models with an 'arch' option; default: the model's, fitted to the data)" };
        var set = new Option<string[]>("--set") { Description = "Model option key=value (repeatable; see 'latent models' for the keys)", AllowMultipleArgumentsPerToken = false };
        var data = CommonOptions.Data("Data: sprites (default, generated), mnist, fashion-mnist, or a path to a .csv/.csv.gz table, a PNG folder, an .npy/.npz file or an IDX file");
        var label = CommonOptions.Label();
        var imageSize = CommonOptions.ImageSize();
        var samples = CommonOptions.Samples();
        var window = CommonOptions.Window();
        var stride = CommonOptions.Stride();
        var epochs = new Option<int>("--epochs", "-e") { Description = "Passes over the training data", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch", "-b") { Description = "Samples per step", DefaultValueFactory = _ => 64 };
        var lr = new Option<float>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 1e-3f };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw or sgd", DefaultValueFactory = _ => "adam" }
            .AcceptOnlyFromAmong("adam", "adamw", "sgd");
        var schedule = new Option<string>("--schedule")
        {
            Description = "Learning-rate schedule: constant, cosine[:min=X,warmup=E], step[:size=N,gamma=G], exponential[:gamma=G], plateau[:patience=N,factor=F,min=X]",
            DefaultValueFactory = _ => "constant",
        };
        var augment = new Option<string>("--augment")
        {
            Description = "Random augmentation of the training images: none, or shift:K[,rotate:DEG][,scale:S] (e.g. shift:1 for whole-pixel shifts up to ±1)",
            DefaultValueFactory = _ => "none",
        };
        var clip = new Option<float>("--clip") { Description = "Clip the gradient norm to this value (0 = off)" };
        var warmup = new Option<double>("--warmup") { Description = "Epochs of linear warm-up of the regularisation weight (KL annealing)" };
        var patience = new Option<int>("--patience") { Description = "Early stopping after N epochs without a better validation loss (0 = off; needs --val-fraction)" };
        var valFraction = new Option<double>("--val-fraction") { Description = "Fraction of the training data held out for validation", DefaultValueFactory = _ => 0.1 };
        var outDir = new Option<string>("--out", "-o")
        {
            Description = "Run folder for the model, metrics, checkpoints, pictures and report.html. A previous run's files there are replaced only when this run succeeds; one run at a time",
            DefaultValueFactory = _ => "runs/latest",
        };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint with its recorded options (only --epochs and --patience may change)" };
        var config = new Option<string?>("--config") { Description = "YAML file of training options (keys are the long option names: epochs: 20, lr: 0.001, set: [beta=4]); the command line overrides it" };
        var serve = new Option<bool>("--serve") { Description = "Also serve the dashboard of the runs beside --out (as 'latent serve') while training" };
        var port = new Option<int>("--port") { Description = "Port of the dashboard with --serve", DefaultValueFactory = _ => 5005 };
        var from = new Option<string?>("--from") { Description = "Start a new run with the options of the run in this folder (its " + TrainConfiguration.FileName + "); the command line overrides them" };
        var priorEpochs = new Option<int>("--prior-epochs") { Description = "After training, fit the code prior for this many epochs (models with a learned prior)" };
        var noReport = new Option<bool>("--no-report") { Description = "Skip the pictures and report.html" };
        var gridEpochs = new Option<string?>("--grid-epochs")
        {
            Description = "Epochs (comma-separated, e.g. 1,10,100; none beyond --epochs) after which to write a 10x10 grid of the first 100 test images reconstructed, "
                + "and for generative models a 10x10 grid of samples from a fixed seed, to DIR/grids/epoch-0010-reconstructions.png and epoch-0010-samples.png; "
                + "the report shows them as a row per epoch, and --resume keeps those already written",
        };
        var lrScaling = new Option<string>("--lr-scaling")
        {
            Description = "Large-batch rule: none, or linear[:REF] (the rate times batch/REF, REF = 64 by default; Goyal et al. 2017)",
            DefaultValueFactory = _ => "none",
        };
        var lrWarmup = new Option<double>("--warmup-epochs") { Description = "Epochs of linear learning-rate warm-up (from rate/k to the scaled rate with --lr-scaling)" };
        var distributed = new Option<bool>("--distributed")
        {
            Description = "Data-parallel training over MPI: start with 'mpirun -np N latent train ... --distributed'; --batch is the global batch (divisible by N); rank 0 writes the run folder",
        };
        var bucketMb = new Option<double>("--bucket-mb")
        {
            Description = "With --distributed: all-reduce the gradients in buckets of this many MiB (the first 1 MiB), each started as soon as backward has finished it (0 = one all-reduce after backward)",
            DefaultValueFactory = _ => 25.0,
        };
        var trim = new Option<string?>("--trim")
        {
            Description = "F[:R] — for training data that contain anomalies: after training, refit R times (default 3) on the 1−F of training rows reconstructed best, e.g. 0.25 (as the ODDS benchmark)",
        };

        var cmd = new Command("train",
            "Train a model and write DIR/model.safetensors, model.json, metrics.csv, checkpoints/, pictures and report.html.\n\n" +
            "Examples:\n" +
            "  latent train --out runs/demo                                   # ae on 5000 generated sprites\n" +
            "  latent train --model ae --data fashion-mnist --arch 784-512-128-16 --epochs 20 --out runs/fm\n" +
            "  latent train --model ae --data table.csv --label class --code 4 --out runs/tab\n" +
            "  latent train --out runs/fm --resume                            # after Ctrl+C: the run's recorded options\n" +
            "  latent train --config run.yaml --out runs/cfg                  # options from a YAML file\n" +
            "  latent train --from runs/fm --set beta=8 --out runs/fm-b8      # another run's options, one changed\n" +
            "  latent train --model vae --data table.csv --arch 21-5 --set output=gaussian --trim 0.25 --val-fraction 0 --out runs/od\n" +
            "  latent train --model lstm-ae --data series.csv --window 64 --stride 4 --out runs/ts   # windows of a time series\n" +
            "  latent train --model vae --data mnist --epochs 100 --grid-epochs 1,10,100 --out runs/g   # 10x10 grids after epochs 1, 10 and 100");
        CommonOptions.Add(cmd, model, code, arch, set, data, label, imageSize, samples, window, stride, epochs, batch, lr, optimizer, schedule, augment, clip, warmup,
            patience, valFraction, outDir, resume, config, from, serve, port, priorEpochs, noReport, trim, lrScaling, lrWarmup, distributed, bucketMb, gridEpochs);
        cmd.SetAction(Cli.Action(context, (given, _) =>
        {
            var p = Resolve(given, cmd, config, from, resume, outDir);
            var ctx = context(p);
            string dir = p.GetValue(outDir)!;
            var info = ModelRegistry.Get(p.GetValue(model)!); // an unknown model fails before any data is loaded
            var group = p.GetValue(distributed) ? MpiProcessGroup.Initialize() : null;
            // mpirun answers Ctrl+C by sending SIGTERM to every rank (SIGKILL after odls_base_sigkill_timeout): a rank
            // treats SIGTERM like Ctrl+C, and the ranks agree on the step to stop after (the stop flag is all-reduced).
            using var stopSource = group is null ? null : CancellationTokenSource.CreateLinkedTokenSource(ctx.Hooks.Cancellation);
            using var onTerm = stopSource is null ? null : System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
                {
                    if (stopSource.IsCancellationRequested) return; // a second SIGTERM ends the process
                    signal.Cancel = true;
                    stopSource.Cancel();
                });
            // A rank never waits for its output: mpirun stops reading it while it ends the job (see DetachedWriter).
            using var output = group is null ? null : new DetachedWriter(ctx.Out);
            using var errors = group is null ? null : new DetachedWriter(ctx.Err);
            void Drain(TimeSpan wait)
            {
                output?.Drain(wait);
                errors?.Drain(wait);
            }
            if (group is not null) // the other ranks train silently; rank 0 reports, a line per epoch
                ctx = new CliContext
                {
                    Out = group.Rank > 0 ? TextWriter.Null : output!, Err = errors!, Hooks = ctx.Hooks with { Cancellation = stopSource!.Token, Console = false }, DataDir = ctx.DataDir,
                    Threads = ctx.Threads, Seed = ctx.Seed, Quiet = ctx.Quiet || group.Rank > 0, Verbose = ctx.Verbose, Download = ctx.Download,
                };
            var request = new DataRequest
            {
                Source = p.GetValue(data) ?? info.DefaultData,
                DataDir = ctx.DataDir,
                LabelColumn = p.GetValue(label),
                ImageSize = p.GetValue(imageSize),
                Samples = p.GetValue(samples) ?? 5000,
                Seed = ctx.Seed,
                Window = p.GetValue(window),
                Stride = p.GetValue(stride) ?? 1,
                OnDemand = group is not null, // each rank reads only its shards' rows where the file allows it
            };
            CommonOptions.CheckWindow(p.GetValue(window), p.GetValue(stride));
            var training = new TrainingOptions
            {
                Epochs = p.GetValue(epochs),
                BatchSize = p.GetValue(batch),
                LearningRate = p.GetValue(lr),
                Optimizer = p.GetValue(optimizer)!,
                Schedule = p.GetValue(schedule)!,
                Augmentation = p.GetValue(augment)!,
                GradientClip = p.GetValue(clip),
                WarmupEpochs = p.GetValue(warmup),
                EarlyStoppingPatience = p.GetValue(patience),
                ValidationFraction = p.GetValue(valFraction),
                Seed = ctx.Seed,
                LrScaling = p.GetValue(lrScaling)!,
                LrWarmupEpochs = p.GetValue(lrWarmup),
                ProcessGroup = group,
                GradientBucketBytes = BucketBytes(p.GetValue(bucketMb)),
            };
            var (trimFraction, trimRounds) = ParseTrim(p.GetValue(trim));
            var gridList = EpochGrids.Parse(p.GetValue(gridEpochs), training.Epochs);
            var options = new TrainingRunOptions
            {
                Model = p.GetValue(model)!,
                Architecture = p.GetValue(arch),
                CodeSize = p.GetValue(code),
                Settings = ModelSettings.ParsePairs(p.GetValue(set) ?? []),
                Training = training,
                OutputDirectory = dir,
                Resume = p.GetValue(resume),
                PriorEpochs = p.GetValue(priorEpochs),
                TrimFraction = trimFraction,
                TrimRounds = trimRounds,
                Extra = new Dictionary<string, string> { ["command"] = "latent " + string.Join(' ', p.Tokens.Select(t => t.Value)) },
            };
            TrainingRun.Validate(options);
            ModelSettings.Check(info, options); // a bad model option fails before any data is loaded
            if (group is not { Rank: > 0 }) TrainingRunFolder.ThrowIfInUse(dir); // so does a folder another run is writing (the run itself takes the lock)

            var loaded = DataSource.Load(request);
            ctx.Info($"data: {loaded.Origin.ReplaceLineEndings(Environment.NewLine + "      ")}");
            int held = Trainer.ValidationCount(loaded.Train.Count, training.ValidationFraction);
            ctx.Info($"      {loaded.Train.Count - held} training, " + (held > 0 ? $"{held} validation, " : "") + $"{loaded.Test.Count} test samples of shape [{string.Join(",", loaded.Train.SampleShape)}]");
            if (loaded.Train.OnDemand) ctx.Info("      training rows are read from the file as each step needs them (the test split is loaded)");
            if (group is not null) ctx.Info($"distributed: {group.Size} processes over {group.Implementation} ({group.Library}); global batch {training.BatchSize}, {training.BatchSize / group.Size} per process");
            var grids = gridList.Count == 0 || group is { Rank: > 0 } ? null : new EpochGrids(dir, gridList, loaded.Test, p.GetValue(resume));
            var report = p.GetValue(noReport) || group is { Rank: > 0 } ? null : new RunReport(loaded, training.Epochs) { Grids = grids };
            var net = TrainingRun.CreateModel(options, loaded);
            ctx.Info($"model: {net.Name} ({net.Options.ToText()}), code size {net.CodeSize}, {net.ParameterCount():N0} parameters");
            // Recorded once training has finished or was cancelled: a run that fails leaves the previous run's record as it was.
            void Record() => TrainConfiguration.Write(Path.Combine(dir, TrainConfiguration.FileName), TrainConfiguration.Values(p, cmd));
            IReadOnlyList<string>? reportFiles = null; // written into the run's staging area, committed with the model
            TrainingRunResult result;
            try
            {
                using var dashboard = p.GetValue(serve) ? ServeCommand.StartFor(ctx, Path.GetDirectoryName(Path.GetFullPath(dir))!, p.GetValue(port)) : null;
                result = TrainingProgressView.Run(ctx, training.Epochs, training.BatchSize, net, (progress, token) =>
                {
                    // Only rank 0 writes the event file, as only it writes metrics and checkpoints (every rank appending
                    // to one file interleaved their lines).
                    using var events = group is { Rank: > 0 } ? null : new TrainingRunEvents(dir, options.Resume, progress);
                    return TrainingRun.Run(options, loaded, (IProgress<TrainingProgress>?)events ?? progress, token, (e, m) => { report?.CaptureEpoch(e, m); grids?.Capture(e, m); }, net,
                        report is null ? null : (staging, r) => reportFiles = report.Write(staging, r, options.Extra["command"]));
                });
                if (group is not { Rank: > 0 }) Record();
            }
            catch (ArgumentException e) when (options.Resume && e.Message.StartsWith("training: cannot resume", StringComparison.Ordinal))
            {
                throw new ArgumentException($"--resume: the model or data differ from the run in '{dir}' ({e.Message})", e);
            }
            if (result.Training.Status == TrainingStatus.Cancelled)
            {
                // Every rank stopped after the same step and rank 0 has written the checkpoint. The line comes before
                // MPI_Finalize: once a rank has exited with 130, mpirun ends the others.
                if (group is not { Rank: > 0 })
                    ctx.Err.WriteLine($"latent: training cancelled after {result.Training.Steps} steps; checkpoint saved to {result.Training.CheckpointPath}; continue with 'latent train --out {dir} --resume'");
                // An mpirun that is ending the job (Ctrl+C to it) neither reads the output nor answers MPI_Finalize until
                // it kills the ranks: wait for either only briefly, the checkpoint is written.
                Drain(TimeSpan.FromSeconds(2));
                group?.TryFinalize(TimeSpan.FromSeconds(10)); // false: it goes on in the background; the process ends anyway
                return ErrorReporter.Cancelled;
            }
            if (group is not null)
            {
                ctx.Info($"distributed: {group.CommunicationTime.TotalSeconds:F2} s in {group.Calls} collectives ({group.CommunicationTime.TotalMilliseconds / Math.Max(1, result.Training.Steps):F3} ms per step)");
                Drain(TimeSpan.FromSeconds(30));
                group.Dispose();
                if (group.Rank > 0) return 0;
            }
            // The one run time the report states too: the epochs' seconds (data loading, evaluation and pictures are not in it).
            double trainingSeconds = RunReport.TrainingSeconds(result.Training);
            ctx.Info($"{result.Training.Status.ToString().ToLowerInvariant()}: {result.Training.EpochsCompleted} epoch{(result.Training.EpochsCompleted == 1 ? "" : "s")}, {trainingSeconds.ToString("F1", CultureInfo.InvariantCulture)} s of training; model written to {Path.Combine(dir, "model.safetensors")} and model.json");
            if (reportFiles is not null)
                ctx.Info($"report: {Path.Combine(dir, RunReport.ReportFile)} ({reportFiles.Count - 1} pictures and charts beside it)");
            foreach (var (k, v) in result.Manifest!.Metrics.Where(kv => kv.Key.StartsWith("test_", StringComparison.Ordinal)))
                ctx.Out.WriteLine($"{k,-28} {v.ToString("G6", CultureInfo.InvariantCulture)}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>
    /// The command line with the configuration layers applied: the recorded options of the run being resumed (any
    /// option given that differs from them, other than --epochs and --patience, is an error naming it), or --from's
    /// run and --config's file, under the options given on the command line. Returns a parse of the whole command.
    /// </summary>
    internal static ParseResult Resolve(ParseResult given, Command cmd, Option<string?> config, Option<string?> from, Option<bool> resume, Option<string> outDir)
    {
        bool resuming = given.GetValue(resume);
        string? fromDir = given.GetValue(from), configFile = given.GetValue(config);
        string dir = given.GetValue(outDir)!;
        if (resuming && fromDir is not null) throw new ArgumentException("--from: cannot be combined with --resume (a resumed run keeps its own recorded options)");
        var layers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (fromDir is not null)
        {
            string path = Path.Combine(fromDir, TrainConfiguration.FileName);
            if (!File.Exists(path)) throw new FileNotFoundException($"--from '{fromDir}': no {TrainConfiguration.FileName} there (a run folder written by 'latent train')", path);
            layers = TrainConfiguration.Read(path, cmd);
        }
        if (configFile is not null) layers = TrainConfiguration.Merge(layers, TrainConfiguration.Read(configFile, cmd));
        var explicitKeys = TrainConfiguration.Explicit(given, cmd);
        var onCommandLine = TrainConfiguration.Values(given, cmd).Where(kv => explicitKeys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        string recordedPath = Path.Combine(dir, TrainConfiguration.FileName);
        if (resuming && File.Exists(recordedPath))
        {
            var recorded = TrainConfiguration.Read(recordedPath, cmd);
            var requested = TrainConfiguration.Merge(layers, onCommandLine);
            var before = Reparse(given, TrainConfiguration.Tokens(recorded), cmd);
            var after = Reparse(given, TrainConfiguration.Tokens(TrainConfiguration.Merge(recorded, requested)), cmd);
            var a = TrainConfiguration.Values(before, cmd);
            var b = TrainConfiguration.Values(after, cmd);
            foreach (var key in requested.Keys.Where(k => !TrainConfiguration.MayChangeOnResume.Contains(k)))
            {
                string was = string.Join(' ', a.GetValueOrDefault(key) ?? ["(unset)"]), now = string.Join(' ', b.GetValueOrDefault(key) ?? ["(unset)"]);
                if (was != now)
                    throw new ArgumentException($"--{key} {now}: the run in '{dir}' was trained with --{key} {was}; only --epochs and --patience may change with --resume (or train a new run with --from {dir} --out NEW_DIR)");
            }
            layers = TrainConfiguration.Merge(recorded, layers);
        }
        // Layer values the command line does not give; --set pairs the command line gives replace the layer's.
        var extra = layers.Where(kv => !explicitKeys.Contains(kv.Key) || kv.Key == "set").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (extra.TryGetValue("set", out var pairs) && onCommandLine.TryGetValue("set", out var mine))
        {
            var overridden = mine.Select(s => s.Split('=', 2)[0].Trim()).ToHashSet(StringComparer.Ordinal);
            extra["set"] = pairs.Where(s => !overridden.Contains(s.Split('=', 2)[0].Trim())).ToList();
        }
        return extra.Count == 0 ? given : Reparse(given, TrainConfiguration.Tokens(extra), cmd, keepGiven: true);
    }

    private static ParseResult Reparse(ParseResult given, List<string> tokens, Command cmd, bool keepGiven = false)
    {
        // Layer tokens go first so that the command line's --set pairs come last.
        IEnumerable<string> args = keepGiven ? given.Tokens.Select(t => t.Value) : [cmd.Name];
        var list = args.ToList();
        int at = list.IndexOf(cmd.Name) + 1;
        list.InsertRange(at, tokens);
        var p = given.RootCommandResult.Command.Parse(list);
        if (p.Errors.Count > 0) throw new ArgumentException($"training options: {p.Errors[0].Message.ReplaceLineEndings(" ")}");
        return p;
    }

    /// <summary>--bucket-mb in bytes; ArgumentException unless it is a number of MiB in [0, 1024].</summary>
    internal static long BucketBytes(double mb) =>
        mb is >= 0 and <= 1024 ? (long)Math.Round(mb * (1 << 20)) : throw new ArgumentException($"--bucket-mb {mb.ToString(CultureInfo.InvariantCulture)}: must be between 0 (one all-reduce after backward) and 1024 MiB");

    /// <summary>"F" or "F:R" → (F, R); null → (0, 3). F in [0, 1), R ≥ 1 whole.</summary>
    internal static (double Fraction, int Rounds) ParseTrim(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (0, 3);
        var parts = text.Split(':');
        if (parts.Length > 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double f) || !(f >= 0 && f < 1)
            || (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int r0) || r0 < 1)))
            throw new ArgumentException($"--trim '{text}': expected F or F:R with the dropped fraction F in [0, 1) and R ≥ 1 rounds, e.g. 0.25 or 0.25:3");
        return (f, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 3);
    }
}
