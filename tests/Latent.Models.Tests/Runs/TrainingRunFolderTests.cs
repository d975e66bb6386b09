using Latent.Models.IO;
using Latent.Models.Runs;
using Latent.Models.Training;

namespace Latent.Models.Tests.Runs;

/// <summary>
/// The run folder: one run at a time (the lock), temporary files of killed runs removed, and the previous run's outputs
/// replaced only at a new run's successful end (a failed run leaves them byte for byte, a successful one leaves none of
/// the old report behind).
/// </summary>
public class TrainingRunFolderTests
{
    private static readonly LoadedData Sprites = DataSource.Load(new DataRequest { Samples = 40, ImageSize = 16, Seed = 2 });

    private static TrainingRunOptions Options(string dir, float lr = 1e-3f) => new()
    {
        Model = "ae",
        Architecture = $"{Sprites.Train.SampleSize}-8-2",
        OutputDirectory = dir,
        Training = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 3, LearningRate = lr },
    };

    private static Dictionary<string, byte[]> Outputs(string dir) =>
        TrainingRunFolder.RunFiles.Select(n => Path.Combine(dir, n)).Where(File.Exists).ToDictionary(p => p, File.ReadAllBytes);

    private static void FakeReport(string staging, TrainingRunResult run)
    {
        File.WriteAllText(Path.Combine(staging, "report.html"), $"<p>{run.Manifest!.WeightsSha256}</p>");
        File.WriteAllText(Path.Combine(staging, "samples.png"), run.Manifest.WeightsSha256);
    }

    [Fact]
    public void A_second_run_into_a_locked_folder_fails_at_once_naming_the_process()
    {
        var dir = TestData.TempDir();
        using (TrainingRunFolder.Open(dir))
        {
            var e = Assert.Throws<IOException>(() => TrainingRunFolder.Open(dir));
            Assert.Contains($"process {Environment.ProcessId}", e.Message);
            Assert.Contains(dir, e.Message);
            var run = Assert.Throws<IOException>(() => TrainingRun.Run(Options(dir), Sprites));
            Assert.Contains("in use by another training run", run.Message);
            Assert.False(File.Exists(Path.Combine(dir, ModelFile.ManifestFileName)));
        }
        using (TrainingRunFolder.Open(dir)) { } // released
        Assert.False(File.Exists(Path.Combine(dir, TrainingRunFolder.OwnerFileName)));
    }

    [Fact]
    public void Temporary_files_of_killed_runs_are_removed_when_the_folder_is_opened()
    {
        var dir = TestData.TempDir();
        var checkpoints = Directory.CreateDirectory(Path.Combine(dir, TrainingRun.CheckpointFolder)).FullName;
        string guid = Guid.NewGuid().ToString("N");
        string deadCheckpoint = Path.Combine(checkpoints, $".checkpoint.latent.{int.MaxValue}.{guid}.tmp");
        string liveCheckpoint = Path.Combine(checkpoints, $".checkpoint.latent.1.{guid}.tmp"); // pid 1 lives, but only a lock holder writes here
        string deadPicture = Path.Combine(dir, $".codes.png.{int.MaxValue}.{guid}.tmp");
        string livePicture = Path.Combine(dir, $".codes.png.1.{guid}.tmp"); // another command may be writing it
        string notOurs = Path.Combine(dir, "notes.tmp");
        foreach (var f in new[] { deadCheckpoint, liveCheckpoint, deadPicture, livePicture, notOurs }) File.WriteAllText(f, "x");
        using (TrainingRunFolder.Open(dir)) { }
        Assert.False(File.Exists(deadCheckpoint));
        Assert.False(File.Exists(liveCheckpoint));
        Assert.False(File.Exists(deadPicture));
        Assert.True(File.Exists(livePicture));
        Assert.True(File.Exists(notOurs));
    }

    [Fact]
    public void A_diverged_run_leaves_the_previous_outputs_byte_identical()
    {
        var dir = TestData.TempDir();
        TrainingRun.Run(Options(dir), Sprites, writeOutputs: FakeReport);
        var before = Outputs(dir);
        Assert.Equal(5, before.Count); // model pair, metrics.csv, report.html, samples.png
        Assert.Throws<TrainingDivergedException>(() => TrainingRun.Run(Options(dir, lr: 1e30f), Sprites, writeOutputs: FakeReport));
        Assert.Equal(before, Outputs(dir));
        ModelFile.Load(dir);
    }

    [Fact]
    public void A_successful_run_replaces_the_outputs_and_leaves_none_of_the_old_report()
    {
        var dir = TestData.TempDir();
        TrainingRun.Run(Options(dir), Sprites, writeOutputs: FakeReport);
        File.WriteAllText(Path.Combine(dir, "mine.png"), "a picture the user put here");
        var second = TrainingRun.Run(Options(dir) with { Training = Options(dir).Training with { Seed = 4 } }, Sprites);
        Assert.False(File.Exists(Path.Combine(dir, "report.html")));
        Assert.False(File.Exists(Path.Combine(dir, "samples.png")));
        Assert.True(File.Exists(Path.Combine(dir, "mine.png")));
        Assert.Equal(second.Manifest!.WeightsSha256, ModelFile.Sha256(Path.Combine(dir, ModelFile.WeightsFileName)));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, Trainer.MetricsFileName)).Length);
        Assert.False(Directory.Exists(Path.Combine(dir, TrainingRunFolder.StagingFolderName)));
    }

    [Fact]
    public void A_commit_interrupted_by_a_kill_is_finished_by_the_next_run()
    {
        var dir = TestData.TempDir();
        TrainingRun.Run(Options(dir), Sprites, writeOutputs: FakeReport);
        var first = Outputs(dir);
        // Stage a second run's outputs and mark them complete, as a run killed in the middle of its commit leaves them.
        string staging = Path.Combine(dir, TrainingRunFolder.StagingFolderName);
        var other = TestData.TempDir();
        var done = TrainingRun.Run(Options(other) with { Training = Options(other).Training with { Seed = 4 } }, Sprites);
        Directory.CreateDirectory(staging);
        foreach (var name in new[] { ModelFile.WeightsFileName, ModelFile.ManifestFileName, Trainer.MetricsFileName })
            File.Copy(Path.Combine(other, name), Path.Combine(staging, name));
        File.WriteAllText(Path.Combine(staging, TrainingRunFolder.CommitMarkerName), string.Join('\n', ModelFile.WeightsFileName, ModelFile.ManifestFileName, Trainer.MetricsFileName) + "\n");
        File.Move(Path.Combine(staging, Trainer.MetricsFileName), Path.Combine(dir, Trainer.MetricsFileName), overwrite: true); // one file already moved
        Assert.Equal(first[Path.Combine(dir, ModelFile.WeightsFileName)], File.ReadAllBytes(Path.Combine(dir, ModelFile.WeightsFileName)));

        using (TrainingRunFolder.Open(dir)) { }
        Assert.False(Directory.Exists(staging));
        Assert.Equal(done.Manifest!.WeightsSha256, ModelFile.Sha256(Path.Combine(dir, ModelFile.WeightsFileName)));
        Assert.False(File.Exists(Path.Combine(dir, "report.html")));
        ModelFile.Load(dir);
    }
}
