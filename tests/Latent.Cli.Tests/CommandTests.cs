using System.Globalization;
using System.Text.Json;
using Latent.Models.IO;

namespace Latent.Cli.Tests;

public class CommandTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private string Dir => fixture.Dir;

    [Fact]
    public void Train_writes_the_run_folder()
    {
        Assert.Equal(0, fixture.Result.Code);
        Assert.Equal("", fixture.Result.Err);
        foreach (var f in new[] { "model.safetensors", "model.json", "metrics.csv", "checkpoints/checkpoint.latent", "reconstructions.png",
                     "reconstructions_by_epoch.png", "loss.svg", "codes.svg", "report.html" })
            Assert.True(File.Exists(Path.Combine(Dir, f)), f);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(Dir, "metrics.csv")).Length);
        var manifest = ModelFile.ReadManifest(Dir);
        Assert.Equal("ae", manifest.Model);
        Assert.Equal(8, manifest.CodeSize);
        Assert.Equal([1, 20, 20], manifest.InputShape);
        Assert.Equal("sprites", manifest.Data!.Kind);
        Assert.InRange(manifest.Metrics["test_mse"], 0, 0.5);
        Assert.Equal(TrainingScoreCount, manifest.TrainingScoreQuantiles!.Length);
        var html = File.ReadAllText(Path.Combine(Dir, "report.html"));
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains("<svg", html);
        Assert.Contains("sse_per_image", html);
        Assert.Contains("--samples 64", html);
    }

    private const int TrainingScoreCount = Latent.Models.Runs.TrainingRun.ScoreQuantiles;

    [Fact]
    public void Eval_json_prints_one_object_with_metrics_in_range()
    {
        var r = CliRunner.Run("eval", Dir, "--json");
        Assert.Equal(0, r.Code);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        using var doc = JsonDocument.Parse(lines[0]);
        var root = doc.RootElement;
        Assert.Equal("ae", root.GetProperty("model").GetString());
        Assert.Equal(100, root.GetProperty("samples").GetDouble()); // test split of 64 sprites: at least 100
        Assert.InRange(root.GetProperty("mse").GetDouble(), 0, 0.5);
        Assert.InRange(root.GetProperty("bce").GetDouble(), 0, 5);
        Assert.True(root.GetProperty("sse_per_image").GetDouble() > 0);
        Assert.True(root.TryGetProperty("loss_total", out _));
        // The stored test metric is the same evaluation.
        Assert.Equal(ModelFile.ReadManifest(Dir).Metrics["test_mse"], root.GetProperty("mse").GetDouble(), 6);
    }

    [Fact]
    public void Eval_text_and_nll_seam()
    {
        var r = CliRunner.Run("eval", Dir, "--split", "train");
        Assert.Equal(0, r.Code);
        Assert.Contains("sse_per_image", r.Out);
        CliRunner.AssertOneLineError(CliRunner.Run("eval", Dir, "--nll-samples", "5"), contains: "log-likelihood");
    }

    [Theory]
    [InlineData("reconstruct")]
    [InlineData("interpolate", "--from", "2", "--to", "5", "--steps", "6")]
    [InlineData("traverse", "--index", "1", "--steps", "5", "--dims", "3")]
    [InlineData("denoise", "--noise", "masking:0.3", "--count", "4")]
    public void Picture_commands_write_a_png(string command, params string[] extra)
    {
        var png = Path.Combine(CliRunner.TempDir(), command + ".png");
        var r = CliRunner.Run([command, Dir, "--out", png, .. extra]);
        Assert.True(r.Code == 0, r.Err);
        var img = Latent.Data.Images.PngDecoder.Decode(png);
        Assert.True(img.Width > 20 && img.Height > 20);
        if (command == "denoise")
        {
            var sse = r.Out.Split('\n').Where(l => l.StartsWith("sse_per_image")).Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(2, sse.Count);
            Assert.All(sse, v => Assert.True(v > 0));
        }
    }

    [Fact]
    public void Sample_and_rollout_refuse_models_without_the_ability()
    {
        var png = Path.Combine(CliRunner.TempDir(), "s.png");
        CliRunner.AssertOneLineError(CliRunner.Run("sample", Dir, "--out", png), contains: "not generative");
        CliRunner.AssertOneLineError(CliRunner.Run("rollout", Dir, "--out", png), contains: "not a sequence model");
        Assert.False(File.Exists(png));
    }

    [Fact]
    public void Encode_writes_csv_and_npy()
    {
        var tmp = CliRunner.TempDir();
        var csv = Path.Combine(tmp, "codes.csv");
        Assert.Equal(0, CliRunner.Run("encode", Dir, "--out", csv).Code);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("z0,z1,z2,z3,z4,z5,z6,z7,label,class", lines[0]); // sprites name their labels by shape
        Assert.Equal(101, lines.Length);

        var npy = Path.Combine(tmp, "codes.npy");
        Assert.Equal(0, CliRunner.Run("encode", Dir, "--out", npy).Code);
        var a = Latent.Data.Arrays.NpyReader.Read(npy);
        Assert.Equal([100, 8], a.Shape);
        Assert.Equal("<f4", a.Dtype);
        Assert.Equal(0, new FileInfo(npy).Length % 4);
        var first = a.ToSingle()[..8];
        var fromCsv = lines[1].Split(',')[..8].Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(fromCsv, first);
        Assert.Equal(0, CliRunner.Run("encode", Dir, "--split", "all", "--out", csv).Code);
        Assert.Equal(1 + 164, File.ReadAllLines(csv).Length);
    }

    [Fact]
    public void Pca_and_compare_report_the_same_metrics()
    {
        var r = CliRunner.Run("pca", "--code", "8", "--samples", "64", "--image-size", "20", "--json");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out.Trim());
        double pcaMse = doc.RootElement.GetProperty("mse").GetDouble();
        Assert.InRange(pcaMse, 0, 0.5);

        var c = CliRunner.Run("compare", Dir, "--json");
        Assert.Equal(0, c.Code);
        using var cmp = JsonDocument.Parse(c.Out.Trim());
        Assert.Equal(pcaMse, cmp.RootElement.GetProperty("pca").GetProperty("mse").GetDouble(), 5);
        Assert.True(cmp.RootElement.GetProperty("ae").GetProperty("mse").GetDouble() > 0);
        Assert.Contains("pca", CliRunner.Run("compare", Dir).Out);
    }

    [Fact]
    public void Models_and_info_describe_things()
    {
        var m = CliRunner.Run("models");
        Assert.Equal(0, m.Code);
        foreach (var info in Latent.Models.ModelRegistry.All) Assert.Contains(info.Name, m.Out);
        Assert.Contains("Hinton", m.Out);

        Assert.Matches(@"(?m)^code size +8$", CliRunner.Run("info", Dir).Out);
        Assert.Contains("encoder", CliRunner.Run("info", Path.Combine(Dir, "model.safetensors")).Out);
        var ck = CliRunner.Run("info", Path.Combine(Dir, "checkpoints", "checkpoint.latent"));
        Assert.Equal(0, ck.Code);
        Assert.Contains("completed", ck.Out);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("anomaly")]
    [InlineData("denoise")]
    public void Help_explains_with_examples(string command)
    {
        var r = CliRunner.Run(command, "--help");
        Assert.Equal(0, r.Code);
        Assert.Contains("Example", r.Out);
        Assert.Contains("--", r.Out);
    }
}
