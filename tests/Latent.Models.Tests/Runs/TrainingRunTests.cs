using Latent.Models.Runs;
using Latent.Models.Training;

namespace Latent.Models.Tests.Runs;

/// <summary>
/// Whole runs with several training stages (greedy pretraining, the main stage, fitting a prior): a cancellation in
/// any stage leaves a checkpoint from which a resumed run ends with the uninterrupted run's model file, byte for byte,
/// and the run's optimizer and schedule reach every stage.
/// </summary>
public class TrainingRunTests
{
    private static readonly LoadedData Sprites = DataSource.Load(new DataRequest { Samples = 40, ImageSize = 16, Seed = 2 });

    private static int InputSize => Sprites.Train.SampleSize;

    private static TrainingRunOptions Options(string model, string dir, string optimizer = "adam", string schedule = "constant") => new()
    {
        Model = model,
        Architecture = model == "stacked-ae" ? $"{InputSize}-24-12-4" : null,
        Settings = model switch
        {
            "stacked-ae" => new Dictionary<string, string> { ["pretrain_epochs"] = "2" },
            "vq-vae" => new Dictionary<string, string> { ["hidden"] = "8", ["res_hidden"] = "4", ["k"] = "8", ["d"] = "4", ["prior_layers"] = "2", ["prior_channels"] = "8" },
            _ => new Dictionary<string, string>(),
        },
        PriorEpochs = model == "vq-vae" ? 2 : 0,
        OutputDirectory = dir,
        Training = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 3, ValidationFraction = 0.1, Optimizer = optimizer, Schedule = schedule, GradientClip = 5f },
    };

    private static TrainingRunResult Run(TrainingRunOptions options, Action<TrainingProgress>? onProgress = null, CancellationToken token = default) =>
        TrainingRun.Run(options, Sprites, onProgress is null ? null : new TestData.SyncProgress<TrainingProgress>(onProgress), token);

    private static byte[] ModelBytes(string dir) => File.ReadAllBytes(Path.Combine(dir, "model.safetensors"));

    [Theory]
    [InlineData("stacked-ae", "pretrain2", 2)] // during the second layer's pretraining
    [InlineData("stacked-ae", null, 3)]        // during fine-tuning, after pretraining
    [InlineData("vq-vae", null, 2)]            // during the main stage
    [InlineData("vq-vae", "prior-", 3)]        // during prior fitting
    public void Cancel_in_any_stage_then_resume_gives_the_uninterrupted_model(string model, string? stage, int step)
    {
        var straight = TestData.TempDir();
        Assert.Equal(TrainingStatus.Completed, Run(Options(model, straight)).Training.Status);

        var dir = TestData.TempDir();
        using var cts = new CancellationTokenSource();
        var seen = new List<string?>();
        var cancelled = Run(Options(model, dir), p =>
        {
            if (!seen.Contains(p.Stage)) seen.Add(p.Stage);
            bool here = stage is null ? p.Stage is null : p.Stage?.StartsWith(stage, StringComparison.Ordinal) == true;
            if (here && p.Step == step && p.EpochEnd is null) cts.Cancel();
        }, cts.Token);
        Assert.Equal(TrainingStatus.Cancelled, cancelled.Training.Status);
        Assert.Null(cancelled.Manifest);
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));
        var checkpoint = Checkpoint.Load(cancelled.Training.CheckpointPath!);
        Assert.StartsWith(stage ?? "", checkpoint.Stage ?? "");
        Assert.Equal("cancelled", checkpoint.Status);
        Assert.Equal(seen[^1], checkpoint.Stage);

        var resumed = Run(Options(model, dir) with { Resume = true });
        Assert.Equal(TrainingStatus.Completed, resumed.Training.Status);
        Assert.Equal(ModelBytes(straight), ModelBytes(dir));
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, "metrics.csv")).Select(StripSeconds), File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Select(StripSeconds));
    }

    private static string StripSeconds(string line) => line[..line.LastIndexOf(',')];

    [Fact]
    public void The_run_optimizer_and_schedule_reach_pretraining_and_prior_fitting()
    {
        foreach (var (model, stagePrefix) in new[] { ("stacked-ae", "checkpoint.pretrain"), ("vq-vae", "checkpoint.prior-") })
        {
            var dir = TestData.TempDir();
            Run(Options(model, dir, optimizer: "sgd", schedule: "cosine"));
            var stages = Directory.GetFiles(Path.Combine(dir, TrainingRun.CheckpointFolder), stagePrefix + "*").Select(Checkpoint.Load).ToList();
            Assert.NotEmpty(stages);
            Assert.All(stages, c =>
            {
                Assert.Equal("sgd", Assert.Single(c.Optimizers).Kind);
                Assert.Equal("cosine", c.Schedule);
                Assert.Equal("completed", c.Status);
            });
            Assert.Equal("sgd", Checkpoint.Load(TrainingRun.CheckpointPath(dir)).Optimizers[0].Kind);
        }
    }

    [Fact]
    public void A_fresh_run_removes_earlier_stage_checkpoints_and_resume_needs_one()
    {
        var dir = TestData.TempDir();
        var folder = Path.Combine(dir, TrainingRun.CheckpointFolder);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "checkpoint.pretrain9.latent"), "stale");
        Assert.Throws<FileNotFoundException>(() => Run(Options("ae", TestData.TempDir()) with { Resume = true }));
        Run(Options("ae", dir) with { Training = Options("ae", dir).Training with { Epochs = 1 } });
        Assert.Equal([Trainer.CheckpointFileName], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Validate_names_the_bad_option_before_any_data()
    {
        Assert.Equal("Epochs", Assert.Throws<ArgumentException>(() => TrainingRun.Validate(Options("ae", "x") with { Training = new TrainingOptions { Epochs = 0 } })).ParamName);
        Assert.Contains("--prior-epochs", Assert.Throws<ArgumentException>(() => TrainingRun.Validate(Options("ae", "x") with { PriorEpochs = -1 })).Message);
        Assert.Contains("--trim", Assert.Throws<ArgumentException>(() => TrainingRun.Validate(Options("ae", "x") with { TrimFraction = 1 })).Message);
    }
}
