using System.CommandLine;
using System.Globalization;
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
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint (same options)" };
        var priorEpochs = new Option<int>("--prior-epochs") { Description = "After training, fit the code prior for this many epochs (models with a learned prior)" };
        var noReport = new Option<bool>("--no-report") { Description = "Skip the pictures and report.html" };
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
            "  latent train --out runs/fm --resume                            # after Ctrl+C\n" +
            "  latent train --model vae --data table.csv --arch 21-5 --set output=gaussian --trim 0.25 --val-fraction 0 --out runs/od");
        CommonOptions.Add(cmd, model, code, arch, set, data, label, imageSize, samples, epochs, batch, lr, optimizer, schedule, augment, clip, warmup,
            patience, valFraction, outDir, resume, priorEpochs, noReport, trim);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            string dir = p.GetValue(outDir)!;
            var info = ModelRegistry.Get(p.GetValue(model)!); // an unknown model fails before any data is loaded
            var request = new DataRequest
            {
                Source = p.GetValue(data) ?? info.DefaultData,
                DataDir = ctx.DataDir,
                LabelColumn = p.GetValue(label),
                ImageSize = p.GetValue(imageSize),
                Samples = p.GetValue(samples) ?? 5000,
                Seed = ctx.Seed,
            };
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
            };
            var (trimFraction, trimRounds) = ParseTrim(p.GetValue(trim));
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
            TrainingRunFolder.ThrowIfInUse(dir); // so does a folder another run is writing (the run itself takes the lock)

            var loaded = DataSource.Load(request);
            ctx.Info($"data: {loaded.Origin.ReplaceLineEndings(Environment.NewLine + "      ")}");
            ctx.Info($"      {loaded.Train.Count} training and {loaded.Test.Count} test samples of shape [{string.Join(",", loaded.Train.SampleShape)}]");
            var report = p.GetValue(noReport) ? null : new RunReport(loaded, training.Epochs);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var net = TrainingRun.CreateModel(options, loaded);
            ctx.Info($"model: {net.Name} ({net.Options.ToText()}), code size {net.CodeSize}, {net.ParameterCount():N0} parameters");
            IReadOnlyList<string>? reportFiles = null; // written into the run's staging area, committed with the model
            var result = TrainingProgressView.Run(ctx, training.Epochs, net, (progress, token) =>
                TrainingRun.Run(options, loaded, progress, token, (e, m) => report?.CaptureEpoch(e, m), net,
                    report is null ? null : (staging, r) => reportFiles = report.Write(staging, r, options.Extra["command"])));
            if (result.Training.Status == TrainingStatus.Cancelled)
            {
                ctx.Err.WriteLine($"latent: training cancelled after {result.Training.Steps} steps; checkpoint saved to {result.Training.CheckpointPath}; continue with 'latent train --out {dir} --resume' and the same options");
                return ErrorReporter.Cancelled;
            }
            ctx.Info($"{result.Training.Status.ToString().ToLowerInvariant()}: {result.Training.EpochsCompleted} epochs in {watch.Elapsed.TotalSeconds:F1} s; model written to {Path.Combine(dir, "model.safetensors")} and model.json");
            if (reportFiles is not null)
                ctx.Info($"report: {Path.Combine(dir, RunReport.ReportFile)} ({reportFiles.Count - 1} pictures and charts beside it)");
            foreach (var (k, v) in result.Manifest!.Metrics.Where(kv => kv.Key.StartsWith("test_", StringComparison.Ordinal)))
                ctx.Out.WriteLine($"{k,-28} {v.ToString("G6", CultureInfo.InvariantCulture)}");
            return 0;
        }));
        return cmd;
    }

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
