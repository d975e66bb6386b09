using Latent.Data.Images;

namespace Latent.Cli.Tests;

/// <summary><c>latent train --grid-epochs</c>: 10×10 reconstruction (and sample) grids after chosen epochs, in DIR/grids/.</summary>
public class GridEpochsTests
{
    private static string Grid(string dir, int epoch, string kind) => Path.Combine(dir, "grids", $"epoch-{epoch:D4}-{kind}.png");

    [Fact]
    public void Grids_are_written_after_the_listed_epochs_and_shown_in_the_report()
    {
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run(CliRunner.TinyTrain(dir, "--model", "vae", "--epochs", "3", "--grid-epochs", "3,1"));
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(["epoch-0001-reconstructions.png", "epoch-0001-samples.png", "epoch-0003-reconstructions.png", "epoch-0003-samples.png"],
            Directory.GetFiles(Path.Combine(dir, "grids")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // 10×10 cells of 20×20 pixels drawn at scale 2 with 2 pixels of padding.
        var samples = PngDecoder.Decode(Grid(dir, 3, "samples"));
        Assert.Equal((2 + 10 * 42, 2 + 10 * 42), (samples.Width, samples.Height));
        Assert.Equal(2 + 10 * 42, PngDecoder.Decode(Grid(dir, 1, "reconstructions")).Width);
        Assert.NotEqual(CliRunner.Hash(Grid(dir, 1, "reconstructions")), CliRunner.Hash(Grid(dir, 3, "reconstructions")));
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("Grids by epoch", html);
        Assert.Contains("After epoch 1 (grids/epoch-0001-reconstructions.png", html);
        Assert.Contains("After epoch 3 (grids/epoch-0003-reconstructions.png", html);
    }

    [Fact]
    public void A_deterministic_autoencoder_gets_reconstructions_only()
    {
        var dir = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir, "--grid-epochs", "2")).Code);
        Assert.True(File.Exists(Grid(dir, 2, "reconstructions")));
        Assert.False(File.Exists(Grid(dir, 2, "samples")));
        Assert.False(File.Exists(Grid(dir, 1, "reconstructions")));
    }

    [Theory]
    [InlineData("1,5", "epoch 5 is beyond --epochs 2")]
    [InlineData("0", "'0' is not an epoch number")]
    [InlineData("1,x", "'x' is not an epoch number")]
    public void Bad_epoch_lists_are_one_line_errors_before_any_data_is_loaded(string list, string message)
    {
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run(CliRunner.TinyTrain(dir, "--grid-epochs", list));
        CliRunner.AssertOneLineError(r, contains: message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public void A_resumed_run_keeps_the_grids_written_and_a_fresh_run_removes_them()
    {
        var dir = CliRunner.TempDir();
        var cts = new CancellationTokenSource();
        int code = Cli.Run(CliRunner.TinyTrain(dir, "--epochs", "3", "--grid-epochs", "1,3"), new StringWriter(), new StringWriter(), new CliHooks
        {
            Cancellation = cts.Token,
            OnProgress = (p, _) => { if (p.Epoch == 1 && p.EpochEnd is null && p.Step > 5) cts.Cancel(); }, // during epoch 2
        });
        Assert.Equal(130, code);
        string first = Grid(dir, 1, "reconstructions");
        Assert.True(File.Exists(first));
        Assert.False(File.Exists(Grid(dir, 3, "reconstructions")));
        var written = (CliRunner.Hash(first), File.GetLastWriteTimeUtc(first));

        var r = CliRunner.Run(CliRunner.TinyTrain(dir, "--epochs", "3", "--grid-epochs", "1,3", "--resume"));
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(written, (CliRunner.Hash(first), File.GetLastWriteTimeUtc(first)));
        Assert.True(File.Exists(Grid(dir, 3, "reconstructions")));
        Assert.Contains("After epoch 1 (", File.ReadAllText(Path.Combine(dir, "report.html")));

        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir, "--epochs", "2", "--grid-epochs", "2")).Code);
        Assert.Equal(["epoch-0002-reconstructions.png"], Directory.GetFiles(Path.Combine(dir, "grids")).Select(Path.GetFileName));
    }

    [Fact]
    public void Help_explains_the_option()
    {
        var r = CliRunner.Run("train", "--help");
        Assert.Contains("--grid-epochs", r.Out);
        Assert.Contains("epoch-0010-reconstructions.png", r.Out);
    }
}
