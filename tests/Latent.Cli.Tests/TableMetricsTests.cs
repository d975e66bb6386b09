using System.Text.Json;

namespace Latent.Cli.Tests;

/// <summary>eval, compare and pca on a table report per-row errors (and per-feature with --per-feature), not image metrics.</summary>
public class TableMetricsTests
{
    private static (string Csv, string Dir) Trained()
    {
        var tmp = CliRunner.TempDir();
        var csv = TableTests.WriteTable(tmp);
        var dir = Path.Combine(tmp, "run");
        var t = CliRunner.Run("train", "--data", csv, "--label", "y", "--arch", "6-16-2", "--epochs", "5", "--batch", "16", "--out", dir, "--quiet");
        Assert.True(t.Code == 0, t.Err);
        return (csv, dir);
    }

    [Fact]
    public void Eval_on_a_table_reports_per_row_and_per_feature_mse_and_no_image_metrics()
    {
        var (_, dir) = Trained();
        var r = CliRunner.Run("eval", dir, "--json", "--per-feature");
        Assert.True(r.Code == 0, r.Err);
        var root = JsonDocument.Parse(r.Out.Trim()).RootElement;
        Assert.False(root.TryGetProperty("sse_per_image", out _), r.Out);
        Assert.False(root.TryGetProperty("bce", out _), r.Out);
        double mse = root.GetProperty("mse").GetDouble();
        Assert.True(mse > 0);
        Assert.Equal(6 * mse, root.GetProperty("sse_per_row").GetDouble(), 6);
        Assert.InRange(root.GetProperty("mse_row_median").GetDouble(), 0, root.GetProperty("mse_row_max").GetDouble());
        var features = Enumerable.Range(0, 6).Select(j => root.GetProperty($"feature_{j}_mse").GetDouble()).ToArray();
        Assert.Equal(mse, features.Average(), 6);
        Assert.False(root.TryGetProperty("feature_6_mse", out _));

        var text = CliRunner.Run("eval", dir);
        Assert.Contains("sse_per_row", text.Out);
        Assert.DoesNotContain("feature_0_mse", text.Out);
        Assert.DoesNotContain("sse_per_image", text.Out);
    }

    [Fact]
    public void Compare_and_pca_on_a_table_report_row_errors()
    {
        var (csv, dir) = Trained();
        var c = CliRunner.Run("compare", dir, "--json");
        Assert.True(c.Code == 0, c.Err);
        var root = JsonDocument.Parse(c.Out.Trim()).RootElement;
        foreach (var side in new[] { root.GetProperty("ae"), root.GetProperty("pca") })
        {
            Assert.True(side.GetProperty("mse").GetDouble() > 0);
            Assert.True(side.TryGetProperty("sse_per_row", out _));
            Assert.False(side.TryGetProperty("bce", out _));
        }
        var text = CliRunner.Run("compare", dir);
        Assert.Contains("sse_per_row", text.Out);
        Assert.DoesNotContain("bce", text.Out);

        var p = CliRunner.Run("pca", "--code", "2", "--data", csv, "--label", "y", "--json");
        Assert.True(p.Code == 0, p.Err);
        var pr = JsonDocument.Parse(p.Out.Trim()).RootElement;
        Assert.True(pr.GetProperty("sse_per_row").GetDouble() >= 0);
        Assert.False(pr.TryGetProperty("bce", out _));
        Assert.False(pr.TryGetProperty("sse_per_image", out _));
    }

    [Fact]
    public void Per_feature_on_images_is_a_one_line_error()
    {
        var dir = Path.Combine(CliRunner.TempDir(), "img");
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir, "--epochs", "1")).Code);
        CliRunner.AssertOneLineError(CliRunner.Run("eval", dir, "--per-feature"), contains: "not a table");
    }
}
