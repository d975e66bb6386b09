using System.Globalization;
using System.Text.Json;

namespace Latent.Cli.Tests;

public class UpscaleCommandTests
{
    private static string TrainSr(string factor)
    {
        // 20×20 sprites: divisible by 4, so the model sees 5×5 inputs.
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run("train", "--model", "sr-ae", "--set", $"factor={factor}", "--set", "channels=4", "--samples", "64",
            "--image-size", "20", "--batch", "16", "--epochs", "2", "--out", dir, "--quiet");
        Assert.True(r.Code == 0, r.Err);
        return dir;
    }

    [Fact]
    public void Writes_the_four_row_grid_and_the_scores()
    {
        var dir = TrainSr("4");
        var png = Path.Combine(CliRunner.TempDir(), "sr.png");
        var r = CliRunner.Run("upscale", dir, "--count", "5", "--out", png, "--json");
        Assert.True(r.Code == 0, r.Err);
        var img = Latent.Data.Images.PngDecoder.Decode(png);
        // 4 rows of 20-pixel images enlarged ×2: taller than 4·40 and wider than 5·40.
        Assert.True(img.Height >= 4 * 40 && img.Width >= 5 * 40, $"{img.Width}x{img.Height}");
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("sr-ae", root.GetProperty("model").GetString());
        Assert.Equal(4, root.GetProperty("factor").GetDouble());
        double bicubic = root.GetProperty("bicubic_psnr").GetDouble(), model = root.GetProperty("model_psnr").GetDouble();
        Assert.InRange(bicubic, 3, 60);
        Assert.InRange(model, 3, 60);
        Assert.Equal(model - bicubic, root.GetProperty("psnr_gain_db").GetDouble(), 6);
        Assert.InRange(root.GetProperty("model_ssim").GetDouble(), -1, 1);
        Assert.True(root.GetProperty("images").GetDouble() > 0);

        var text = CliRunner.Run("upscale", dir, "--out", png);
        Assert.True(text.Code == 0, text.Err);
        Assert.Contains("bicubic", text.Out);
        Assert.Contains(bicubic.ToString("F2", CultureInfo.InvariantCulture), text.Out);
    }

    [Fact]
    public void Help_explains_with_an_example()
    {
        var r = CliRunner.Run("upscale", "--help");
        Assert.Equal(0, r.Code);
        Assert.Contains("latent upscale runs/sr4", r.Out);
        Assert.Contains("--count", r.Out);
    }

    [Fact]
    public void Refuses_a_model_that_is_not_super_resolution()
    {
        var dir = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir)).Code);
        var png = Path.Combine(CliRunner.TempDir(), "no.png");
        CliRunner.AssertOneLineError(CliRunner.Run("upscale", dir, "--out", png), contains: "is not a super-resolution model");
        Assert.False(File.Exists(png));
    }
}
