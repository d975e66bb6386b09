using System.Globalization;
using System.Text.Json;
using Latent.Models.Anomaly;

namespace Latent.Cli.Tests;

/// <summary><c>latent anomaly</c> without a model folder (train the default detector and score in one command) and streaming.</summary>
public class AnomalyDetectorCommandTests
{
    private static (string Train, string Test, string Dir) Tables()
    {
        var tmp = CliRunner.TempDir();
        var train = TableTests.WriteTable(CliRunner.TempDir());
        var test = TableTests.WriteTable(tmp, normal: 60, anomalies: 6);
        return (train, test, tmp);
    }

    [Fact]
    public void Trains_the_default_detector_and_scores_the_test_table_in_one_command()
    {
        var (train, test, tmp) = Tables();
        var saved = Path.Combine(tmp, "detector");
        var r = CliRunner.Run("anomaly", "--data", train, "--test", test, "--label", "y", "--json", "--save", saved);
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out.Trim());
        var root = doc.RootElement;
        Assert.Equal(66, root.GetProperty("rows").GetInt32());
        Assert.Equal(6, root.GetProperty("anomalies").GetInt32());
        Assert.Equal(160, root.GetProperty("train_rows").GetInt32());
        Assert.True(root.GetProperty("roc_auc").GetDouble() > 0.9, r.Out);
        Assert.InRange(root.GetProperty("average_precision").GetDouble(), 0.5, 1);
        Assert.Contains("vae", root.GetProperty("detector").GetString());
        Assert.True(AnomalyDetector.Exists(saved));

        // The saved detector scores the same table the same way, with the threshold it stored.
        var again = CliRunner.Run("anomaly", saved, "--data", test, "--label", "y", "--json");
        Assert.True(again.Code == 0, again.Err);
        using var doc2 = JsonDocument.Parse(again.Out.Trim());
        Assert.Equal(root.GetProperty("roc_auc").GetDouble(), doc2.RootElement.GetProperty("roc_auc").GetDouble());
        Assert.Equal(root.GetProperty("threshold").GetDouble(), doc2.RootElement.GetProperty("threshold").GetDouble());
        Assert.Equal(root.GetProperty("flagged").GetInt32(), doc2.RootElement.GetProperty("flagged").GetInt32());
    }

    [Fact]
    public void Stream_writes_one_score_and_flag_per_row_read_from_standard_input()
    {
        var (train, test, tmp) = Tables();
        var saved = Path.Combine(tmp, "detector");
        Assert.Equal(0, CliRunner.Run("anomaly", "--data", train, "--label", "y", "--save", saved, "--quiet").Code);
        var detector = AnomalyDetector.Load(saved);
        var lines = File.ReadAllLines(test);
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Cli.Run(["anomaly", saved, "--stream", "--label", "y"], o, e, new CliHooks { Input = new StringReader(string.Join("\n", lines) + "\n") });
        Assert.True(code == 0, e.ToString());
        var outLines = o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length - 1, outLines.Length);
        for (int i = 0; i < outLines.Length; i++)
        {
            var parts = outLines[i].Split(',');
            var values = lines[i + 1].Split(',').Take(6).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            float expected = detector.DecisionFunction(values, 6)[0];
            Assert.Equal(expected, float.Parse(parts[0], CultureInfo.InvariantCulture));
            Assert.Equal(expected > detector.Threshold ? "1" : "0", parts[1]);
        }
        // The off-plane rows (the last 6) are flagged more often than the plane rows.
        Assert.True(outLines.TakeLast(6).Count(l => l.EndsWith(",1", StringComparison.Ordinal)) >= 5, o.ToString());
        Assert.True(outLines.Take(60).Count(l => l.EndsWith(",1", StringComparison.Ordinal)) <= 10, o.ToString());
    }

    [Fact]
    public async Task Follow_scores_rows_appended_to_a_growing_file_until_cancelled()
    {
        var (train, test, tmp) = Tables();
        var saved = Path.Combine(tmp, "detector");
        Assert.Equal(0, CliRunner.Run("anomaly", "--data", train, "--label", "y", "--save", saved, "--quiet").Code);
        var lines = File.ReadAllLines(test);
        var growing = Path.Combine(tmp, "growing.csv");
        File.WriteAllText(growing, lines[0] + "\n" + lines[1] + "\n");
        var buffer = new StringWriter();
        var output = TextWriter.Synchronized(buffer);
        string Text() { lock (output) return buffer.ToString(); } // the synchronized writer locks itself
        using var cancel = new CancellationTokenSource();
        var errors = TextWriter.Synchronized(new StringWriter());
        var run = Task.Run(() => Cli.Run(["anomaly", saved, "--follow", growing, "--label", "y", "--json"], output, errors,
            new CliHooks { Cancellation = cancel.Token }));
        int Count() => Text().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        bool WaitFor(int n)
        {
            for (int i = 0; i < 600 && Count() < n; i++) Thread.Sleep(50);
            return Count() >= n;
        }
        Assert.True(WaitFor(1), $"the first row was not scored; stderr: {errors}; task {run.Status}");
        File.AppendAllText(growing, lines[2] + "\n" + lines[3] + "\n");
        Assert.True(WaitFor(3), $"appended rows were not scored: {Text()}");
        cancel.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        var last = JsonDocument.Parse(Text().Split('\n', StringSplitOptions.RemoveEmptyEntries)[2]).RootElement;
        Assert.True(last.TryGetProperty("score", out _));
        Assert.InRange(last.GetProperty("flag").GetInt32(), 0, 1);
    }

    [Fact]
    public void Misuse_gives_one_line_errors()
    {
        var (train, _, tmp) = Tables();
        CliRunner.AssertOneLineError(CliRunner.Run("anomaly"), contains: "--data");
        CliRunner.AssertOneLineError(CliRunner.Run("anomaly", tmp, "--stream"), contains: "detector folder");
        var saved = Path.Combine(tmp, "detector");
        Assert.Equal(0, CliRunner.Run("anomaly", "--data", train, "--save", saved, "--quiet").Code);
        var e = new StringWriter();
        int code = Cli.Run(["anomaly", saved, "--stream"], new StringWriter(), e, new CliHooks { Input = new StringReader("1,2,3\n") });
        CliRunner.AssertOneLineError(new CliRunner.Result(code, "", e.ToString()), contains: "line 1");
        CliRunner.AssertOneLineError(CliRunner.Run("anomaly", "--data", train, "--contamination", "0.7"), contains: "--contamination");
    }
}
