namespace Latent.Cli.Tests;

/// <summary>Recorded options (options.yaml), --resume without retyping, --config and --from.</summary>
public sealed class TrainConfigurationTests
{
    private static Dictionary<string, string> Recorded(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "options.yaml")).Where(l => !l.StartsWith('#') && l.Contains(": ", StringComparison.Ordinal))
            .Select(l => l.Split(": ", 2)).ToDictionary(a => a[0], a => a[1].Trim('"'));

    [Fact]
    public void ResumeWithoutOptionsContinuesWithTheRecordedOnes()
    {
        string dir = CliRunner.TempDir();
        var first = CliRunner.Run(CliRunner.TinyTrain(dir, "--epochs", "1", "--lr", "0.002"));
        Assert.Equal(0, first.Code);
        var rec = Recorded(dir);
        Assert.Equal("400-32-8", rec["arch"]);
        Assert.Equal("0.002", rec["lr"]);
        Assert.Equal("64", rec["samples"]);
        // Without the recorded --arch, --samples and --image-size the default model and data would not match the checkpoint.
        var resumed = CliRunner.Run("train", "--out", dir, "--resume", "--epochs", "2", "--quiet");
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Equal("2", Recorded(dir)["epochs"]);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Length); // header + 2 epochs
    }

    [Fact]
    public void ResumeWithADifferentOptionIsAnErrorNamingIt()
    {
        string dir = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir, "--epochs", "1")).Code);
        var before = CliRunner.Snapshot(dir);
        var r = CliRunner.Run("train", "--out", dir, "--resume", "--lr", "0.01", "--quiet");
        CliRunner.AssertOneLineError(r, contains: "--lr 0.01: the run in");
        Assert.Contains("--lr 0.001", r.Err, StringComparison.Ordinal);
        Assert.Equal(before, CliRunner.Snapshot(dir));
        // The same value written differently is the same option.
        Assert.Equal(0, CliRunner.Run("train", "--out", dir, "--resume", "--lr", "1e-3", "--quiet").Code);
    }

    [Fact]
    public void ConfigFileGivesEveryOptionAndTheCommandLineOverridesIt()
    {
        string dir = CliRunner.TempDir(), file = Path.Combine(dir, "run.yaml"), run = Path.Combine(dir, "run");
        File.WriteAllText(file, "samples: 64\nimage-size: 20\narch: 400-32-8\nepochs: 1\nbatch: 16\nlr: 0.003\nset: [output=bernoulli]\nseed: 7\n");
        var r = CliRunner.Run("train", "--config", file, "--out", run, "--batch", "32", "--quiet");
        Assert.True(r.Code == 0, r.Err);
        var rec = Recorded(run);
        Assert.Equal("0.003", rec["lr"]);
        Assert.Equal("32", rec["batch"]);
        Assert.Equal("7", rec["seed"]);
        Assert.Contains("output=bernoulli", File.ReadAllText(Path.Combine(run, "options.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void FromStartsANewRunWithAnotherRunsOptions()
    {
        string a = CliRunner.TempDir(), b = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(a, "--epochs", "1", "--lr", "0.002")).Code);
        var r = CliRunner.Run("train", "--from", a, "--set", "output=gaussian", "--out", b, "--quiet");
        Assert.True(r.Code == 0, r.Err);
        var rec = Recorded(b);
        Assert.Equal("400-32-8", rec["arch"]);
        Assert.Equal("0.002", rec["lr"]);
        Assert.Contains("output=gaussian", File.ReadAllText(Path.Combine(b, "options.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownKeyInAConfigFileIsAUserError()
    {
        string dir = CliRunner.TempDir(), file = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(file, "epoch: 3\n");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--config", file, "--out", Path.Combine(dir, "r")), contains: "unknown training option 'epoch'");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--from", dir, "--out", Path.Combine(dir, "r")), contains: "no options.yaml");
    }
}
