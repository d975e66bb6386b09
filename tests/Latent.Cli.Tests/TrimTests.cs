using System.Text.Json;
using Latent.Models.IO;

namespace Latent.Cli.Tests;

/// <summary><c>latent train --trim</c>: refitting on the rows reconstructed best, for training data that hold anomalies.</summary>
public class TrimTests
{
    /// <summary>A quarter of the rows are anomalies: 120 rows near a 2-d plane in 6-d (label 0), 40 scattered (label 1).</summary>
    private static string ContaminatedTable(string dir) => TableTests.WriteTable(dir, normal: 120, anomalies: 40);

    private static string[] Train(string csv, string dir, params string[] extra) =>
        ["train", "--data", csv, "--label", "y", "--arch", "6-2", .. extra.Contains("--epochs") ? Array.Empty<string>() : ["--epochs", "20"], "--batch", "16", "--lr", "0.01",
         "--val-fraction", "0", "--no-report", "--out", dir, "--quiet", .. extra];

    private static double RocAuc(string dir, string csv)
    {
        var r = CliRunner.Run("anomaly", dir, "--data", csv, "--json");
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out.Trim());
        return doc.RootElement.GetProperty("roc_auc").GetDouble();
    }

    [Fact]
    public void Trimming_refits_on_the_best_reconstructed_rows_and_ranks_the_anomalies_higher()
    {
        var tmp = CliRunner.TempDir();
        var csv = ContaminatedTable(tmp);
        string plain = Path.Combine(tmp, "plain"), trimmed = Path.Combine(tmp, "trimmed");
        var a = CliRunner.Run(Train(csv, plain));
        Assert.True(a.Code == 0, a.Err);
        var b = CliRunner.Run(Train(csv, trimmed, "--trim", "0.25:2"));
        Assert.True(b.Code == 0, b.Err);

        var manifest = ModelFile.ReadManifest(trimmed);
        Assert.Equal("0.25 x 2 rounds", manifest.Training["trim"]);
        Assert.False(ModelFile.ReadManifest(plain).Training.ContainsKey("trim"));
        // The main training's 20 epochs, then 2 rounds of 20 on the kept rows, numbered on.
        Assert.Equal(60.0, manifest.Metrics["epochs"]);

        double aucPlain = RocAuc(plain, csv), aucTrimmed = RocAuc(trimmed, csv);
        Assert.True(aucTrimmed > aucPlain, $"ROC-AUC trimmed {aucTrimmed:F4} vs plain {aucPlain:F4}");
    }

    [Fact]
    public void Trimming_runs_resume_to_the_weights_of_an_uninterrupted_run()
    {
        var tmp = CliRunner.TempDir();
        var csv = ContaminatedTable(tmp);
        string straight = Path.Combine(tmp, "straight"), dir = Path.Combine(tmp, "resumed");
        string[] args(string d, params string[] more) => Train(csv, d, ["--epochs", "3", "--trim", "0.25:2", .. more]);
        Assert.Equal(0, CliRunner.Run(args(straight)).Code);

        // Cancel inside the first trimming round: its progress restarts at step 0, so the second time step 2 is seen.
        var cts = new CancellationTokenSource();
        int seen = 0;
        var e = new StringWriter();
        int code = Cli.Run(args(dir), new StringWriter(), e, new CliHooks
        {
            Cancellation = cts.Token,
            OnProgress = (p, _) => { if (p.Step == 2 && p.EpochEnd is null && ++seen == 2) cts.Cancel(); },
        });
        Assert.Equal(130, code);
        Assert.Equal(2, seen);
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));

        var r = CliRunner.Run(args(dir, "--resume"));
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(CliRunner.Hash(Path.Combine(straight, "model.safetensors")), CliRunner.Hash(Path.Combine(dir, "model.safetensors")));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-0.1")]
    [InlineData("0.25:0")]
    [InlineData("0.25:x")]
    [InlineData("a quarter")]
    public void Bad_trim_values_fail_in_one_line_and_write_nothing(string value)
    {
        var tmp = CliRunner.TempDir();
        var csv = ContaminatedTable(tmp);
        var dir = Path.Combine(tmp, "run");
        var r = CliRunner.Run(Train(csv, dir, "--trim", value));
        CliRunner.AssertOneLineError(r, contains: "--trim");
        Assert.False(Directory.Exists(dir));
    }
}
