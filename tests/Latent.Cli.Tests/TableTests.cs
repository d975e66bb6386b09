using System.Globalization;
using System.Text;
using System.Text.Json;
using Latent.Models.IO;

namespace Latent.Cli.Tests;

public class TableTests
{
    /// <summary>Rows near a 2-d plane in 6-d (label 0), and a few far off it (label 1).</summary>
    internal static string WriteTable(string dir, int normal = 150, int anomalies = 10)
    {
        var rng = new Random(3);
        var sb = new StringBuilder("a,b,c,d,e,f,y\n");
        for (int i = 0; i < normal + anomalies; i++)
        {
            bool odd = i >= normal;
            double u = rng.NextDouble() * 2 - 1, v = rng.NextDouble() * 2 - 1;
            double[] row = [u, v, u + v, u - v, 2 * u, -v];
            if (odd) for (int j = 0; j < 6; j++) row[j] = (rng.NextDouble() * 2 - 1) * 3;
            else for (int j = 0; j < 6; j++) row[j] += 0.01 * (rng.NextDouble() - 0.5);
            sb.Append(string.Join(',', row.Select(x => x.ToString("F4", CultureInfo.InvariantCulture)))).Append(',').Append(odd ? 1 : 0).Append('\n');
        }
        var path = Path.Combine(dir, "table.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>Writes the table to a temp folder and trains a 6-16-2 AE on it; returns the table and the model folder.</summary>
    private static (string Csv, string Dir) TrainOnTable()
    {
        var tmp = CliRunner.TempDir();
        var csv = WriteTable(tmp);
        var dir = Path.Combine(tmp, "run");
        var t = CliRunner.Run("train", "--data", csv, "--label", "y", "--arch", "6-16-2", "--epochs", "30", "--batch", "16", "--lr", "0.01", "--out", dir, "--quiet");
        Assert.True(t.Code == 0, t.Err);
        return (csv, dir);
    }

    [Fact]
    public void Train_on_a_table_then_score_anomalies()
    {
        var (csv, dir) = TrainOnTable();
        var manifest = ModelFile.ReadManifest(dir);
        Assert.Equal(6, manifest.Data!.Mean!.Length);
        Assert.Contains("output=gaussian", manifest.Options);

        var scores = Path.Combine(Path.GetDirectoryName(dir)!, "scores.csv");
        var r = CliRunner.Run("anomaly", dir, "--data", csv, "--contamination", "0.1", "--json", "--out", scores);
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out.Trim());
        var root = doc.RootElement;
        Assert.Equal(160, root.GetProperty("rows").GetInt32());
        Assert.Equal("training scores in model.json", root.GetProperty("threshold_source").GetString());
        Assert.True(root.GetProperty("roc_auc").GetDouble() > 0.9, r.Out);
        Assert.InRange(root.GetProperty("average_precision").GetDouble(), 0.5, 1);
        Assert.Equal(161, File.ReadAllLines(scores).Length);
        Assert.Equal("row,score,flag,label", File.ReadAllLines(scores)[0]);

        var text = CliRunner.Run("anomaly", dir, "--data", csv);
        Assert.Contains("roc_auc", text.Out);
        Assert.Contains("quantile of training scores", text.Out);
    }
    [Fact]
    public void Gaussian_score_fits_on_the_training_split_and_ranks_the_off_plane_rows_first()
    {
        var (csv, dir) = TrainOnTable();

        var r = CliRunner.Run("anomaly", dir, "--data", csv, "--score", "gaussian", "--contamination", "0.1", "--json");
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out.Trim());
        var root = doc.RootElement;
        Assert.Equal(160, root.GetProperty("rows").GetInt32());
        Assert.Contains("reference rows", root.GetProperty("threshold_source").GetString());
        Assert.True(root.GetProperty("roc_auc").GetDouble() > 0.9, r.Out);

        var explicitRef = CliRunner.Run("anomaly", dir, "--data", csv, "--score", "gaussian", "--reference", csv, "--json");
        Assert.True(explicitRef.Code == 0, explicitRef.Err);
        Assert.Contains("160 reference rows", explicitRef.Out);
    }

    [Fact]
    public void Anomaly_rejects_a_reference_without_the_gaussian_score_and_an_unknown_score()
    {
        var tmp = CliRunner.TempDir();
        var csv = WriteTable(tmp, normal: 40, anomalies: 4);
        var dir = Path.Combine(tmp, "run");
        var t = CliRunner.Run("train", "--data", csv, "--label", "y", "--arch", "6-4-2", "--epochs", "2", "--out", dir, "--quiet");
        Assert.True(t.Code == 0, t.Err);

        var r = CliRunner.Run("anomaly", dir, "--data", csv, "--reference", csv);
        Assert.NotEqual(0, r.Code);
        Assert.Contains("--reference", r.Err);
        var bad = CliRunner.Run("anomaly", dir, "--data", csv, "--score", "mahalanobis");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("mahalanobis", bad.Err);
    }
}
