using Latent.Data.Images;

namespace Latent.Cli.Tests;

/// <summary><c>latent sample --class K | all</c> for a conditional VAE and a VQ-VAE with a class-conditional prior.</summary>
public class ConditionalSampleTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private static string Png(string name) => Path.Combine(CliRunner.TempDir(), name + ".png");

    private static string Train(string model, params string[] extra)
    {
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run(["train", "--model", model, "--samples", "48", "--image-size", "20", "--epochs", "1", "--batch", "16", "--out", dir, "--quiet", .. extra]);
        Assert.True(r.Code == 0, r.Err);
        return dir;
    }

    [Fact]
    public void Cvae_draws_one_class_or_one_row_per_class()
    {
        string dir = Train("cvae", "--arch", "400-32-4", "--set", "classes=3");
        string one = Png("one"), all = Png("all"), other = Png("other");
        var r = CliRunner.Run("sample", dir, "--class", "1", "--count", "4", "--out", one);
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(0, CliRunner.Run("sample", dir, "--class", "2", "--count", "4", "--out", other).Code);
        Assert.NotEqual(CliRunner.Hash(one), CliRunner.Hash(other)); // same seed, another class
        var rAll = CliRunner.Run("sample", dir, "--class", "all", "--count", "6", "--out", all);
        Assert.True(rAll.Code == 0, rAll.Err);
        var (single, grid) = (PngDecoder.Decode(one), PngDecoder.Decode(all));
        // 4 samples of one class: a 2×2 grid; all: 3 rows (one per class) of 2, each with its class name in a left margin
        // (model.json's names of the sprites' shapes: square, ellipse, heart; 5×7 glyphs at font scale 1 for 40-pixel rows).
        Assert.True(grid.Height > single.Height * 1.4, $"{grid.Height} vs {single.Height}");
        int margin = grid.Width - single.Width;
        Assert.Equal(2 + (7 * 6 - 1) + 6, margin); // the padding, "ellipse" (the longest name) and a character's space
        for (int row = 0; row < 3; row++)
        {
            int top = 2 + row * 42, bottom = top + 40;
            Assert.True(Enumerable.Range(top, bottom - top).Any(y => Enumerable.Range(0, margin).Any(x => grid.Pixels[(y * grid.Width + x) * grid.Channels] == 0)),
                $"no label ink beside row {row}");
        }
        CliRunner.AssertOneLineError(CliRunner.Run("sample", dir, "--class", "3", "--out", Png("x")), contains: "--class 3 is outside [0, 3)");
        CliRunner.AssertOneLineError(CliRunner.Run("sample", dir, "--class", "three", "--out", Png("x")), contains: "--class: 'three'");
        CliRunner.AssertOneLineError(CliRunner.Run("sample", dir, "--class", "1", "--sampler", "normal", "--out", Png("x")), contains: "--sampler");
    }

    [Fact]
    public void A_model_that_cannot_condition_is_a_one_line_error()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("sample", fixture.Dir, "--class", "0", "--out", Png("ae")), contains: "cannot draw samples of a class");
    }

    [Fact]
    public void Vq_vae_samples_a_class_through_its_class_conditional_prior()
    {
        string conditional = Train("vq-vae", "--set", "prior_classes=3", "--set", "prior_layers=2", "--set", "prior_channels=8", "--prior-epochs", "1");
        string all = Png("vq-all");
        var r = CliRunner.Run("sample", conditional, "--class", "all", "--count", "6", "--out", all);
        Assert.True(r.Code == 0, r.Err);
        Assert.True(File.Exists(all));
        string plain = Train("vq-vae", "--set", "prior_layers=2", "--set", "prior_channels=8", "--prior-epochs", "1");
        CliRunner.AssertOneLineError(CliRunner.Run("sample", plain, "--class", "0", "--out", Png("vq")), contains: "prior_classes");
    }
}
