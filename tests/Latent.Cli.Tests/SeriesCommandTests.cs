using System.Text.Json;
using Latent.Data.Generated;
using Latent.Models.IO;

namespace Latent.Cli.Tests;

/// <summary><c>latent train --window</c> on a CSV time series and <c>latent anomaly</c> scores per time step.</summary>
public class SeriesCommandTests
{
    // A clean series to train on and one with 3 injected events (a spike, a level shift, a frequency change) to score.
    private static (string Train, string Test, string Dir) Series()
    {
        var dir = CliRunner.TempDir();
        string train = Path.Combine(dir, "train.csv"), test = Path.Combine(dir, "test.csv");
        AnomalySeries.Generate(900, 900, 0, seed: 1).SaveCsv(train);
        AnomalySeries.Generate(900, 300, 3, seed: 2).SaveCsv(test);
        return (train, test, dir);
    }

    [Fact]
    public void Lstm_ae_trained_on_windows_scores_every_time_step()
    {
        var (train, test, dir) = Series();
        string run = Path.Combine(dir, "run"), steps = Path.Combine(dir, "steps.csv");
        var t = CliRunner.Run("train", "--model", "lstm-ae", "--data", train, "--window", "24", "--stride", "4", "--code", "4", "--set", "hidden=16",
            "--epochs", "8", "--lr", "0.01", "--batch", "32", "--out", run, "--quiet", "--no-report");
        Assert.True(t.Code == 0, t.Err);
        var manifest = ModelFile.ReadManifest(run);
        Assert.Equal(24, manifest.Data!.Window);
        Assert.Equal(4, manifest.Data.Stride);
        Assert.Equal([24, 1], manifest.InputShape);
        Assert.Equal(810, manifest.Data.TrainSteps); // the first 90% of the steps
        Assert.Single(manifest.Data.Mean!);          // one column, standardised on the training steps

        var r = CliRunner.Run("anomaly", run, "--data", test, "--json", "--out", steps);
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out.Trim());
        var root = doc.RootElement;
        Assert.Equal(900, root.GetProperty("steps").GetInt32());
        Assert.Equal(877, root.GetProperty("windows").GetInt32()); // every start 0..876 with the default stride 1
        Assert.Equal(900, root.GetProperty("step_scores").GetArrayLength());
        Assert.True(root.GetProperty("roc_auc").GetDouble() > 0.8, r.Out);
        var lines = File.ReadAllLines(steps);
        Assert.Equal("step,score,flag,label", lines[0]);
        Assert.Equal(901, lines.Length);
        Assert.Equal(root.GetProperty("flagged").GetInt32(), lines.Skip(1).Count(l => l.Split(',')[2] == "1"));
        CliRunner.AssertOneLineError(CliRunner.Run("anomaly", run, "--data", test, "--window", "16"), contains: "was trained on windows of 24 steps");
    }

    [Fact]
    public void The_default_detector_scores_windows_of_a_series_per_step()
    {
        var (train, test, _) = Series();
        var r = CliRunner.Run("anomaly", "--data", train, "--test", test, "--window", "24", "--stride", "2", "--json");
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out.Trim());
        Assert.Equal(900, doc.RootElement.GetProperty("steps").GetInt32());
        Assert.True(doc.RootElement.GetProperty("roc_auc").GetDouble() > 0.8, r.Out);
    }

    [Fact]
    public void Window_errors_are_one_line()
    {
        var (train, _, dir) = Series();
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "lstm-ae", "--data", train, "--window", "1000", "--out", Path.Combine(dir, "a"), "--quiet"),
            contains: "--window 1000 is longer than the series 'train.csv' (900 steps)");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "lstm-ae", "--data", train, "--window", "100", "--out", Path.Combine(dir, "a"), "--quiet"),
            contains: "--window 100 is longer than the training part (810 steps) or the test part (90 steps)");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", train, "--stride", "3", "--out", Path.Combine(dir, "a"), "--quiet"),
            contains: "--stride needs --window N");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "lstm-ae", "--data", "moving-sprites", "--window", "4", "--out", Path.Combine(dir, "a"), "--quiet"),
            contains: "--window: 'moving-sprites' is not a CSV time series");
        string text = Path.Combine(dir, "text.csv");
        File.WriteAllText(text, "value,day\n1,2\n3,tuesday\n");
        CliRunner.AssertOneLineError(CliRunner.Run("anomaly", "--data", text, "--window", "1"), contains: "column 2 ('day'): expected a finite number, found 'tuesday'");
    }
}
