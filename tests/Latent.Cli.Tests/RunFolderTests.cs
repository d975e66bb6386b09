using Latent.Models.Runs;

namespace Latent.Cli.Tests;

/// <summary>`train` into a folder that holds a previous run: a failed run keeps it, a second concurrent run is refused.</summary>
public class RunFolderTests
{
    /// <summary>
    /// Every file of the folder but the lock file, the checkpoints (the new run's working state), the staging area and
    /// the live event log that the dashboard follows (events.jsonl records the latest attempt, failed ones included).
    /// </summary>
    private static Dictionary<string, string> Outputs(string dir) =>
        CliRunner.Snapshot(dir).Where(kv =>
        {
            var rel = Path.GetRelativePath(dir, kv.Key);
            return rel != TrainingRunFolder.LockFileName && rel != "events.jsonl" && !rel.StartsWith(TrainingRun.CheckpointFolder, StringComparison.Ordinal)
                && !rel.StartsWith(TrainingRunFolder.StagingFolderName, StringComparison.Ordinal);
        }).ToDictionary();

    [Fact]
    public void A_diverged_run_leaves_the_previous_metrics_model_report_and_pictures_byte_identical()
    {
        var dir = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir)).Code);
        var before = Outputs(dir);
        Assert.Contains(Path.Combine(dir, "metrics.csv"), before.Keys);
        Assert.Contains(Path.Combine(dir, "report.html"), before.Keys);
        Assert.Contains(Path.Combine(dir, "reconstructions.png"), before.Keys);
        CliRunner.AssertOneLineError(CliRunner.Run(CliRunner.TinyTrain(dir, "--lr", "1e30")), contains: "diverged");
        Assert.Equal(before, Outputs(dir));
    }

    [Fact]
    public void A_run_with_no_report_leaves_no_report_of_the_previous_model()
    {
        var dir = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir)).Code);
        Assert.True(File.Exists(Path.Combine(dir, "reconstructions.png")));
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir, "--no-report", "--epochs", "1")).Code);
        Assert.Equal(["metrics.csv", "model.json", "model.safetensors", "options.yaml"], Outputs(dir).Keys.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Length);
    }

    [Fact]
    public void A_second_run_into_a_folder_in_use_fails_at_once_naming_the_process()
    {
        var dir = CliRunner.TempDir();
        using (TrainingRunFolder.Open(dir))
        {
            var r = CliRunner.Run(CliRunner.TinyTrain(dir));
            CliRunner.AssertOneLineError(r, contains: $"in use by another training run (process {Environment.ProcessId})");
            Assert.False(File.Exists(Path.Combine(dir, "model.json")));
        }
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir, "--no-report", "--epochs", "1")).Code);
    }
}
