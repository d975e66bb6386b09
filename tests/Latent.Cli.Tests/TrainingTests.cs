using Latent.Models;
using Latent.Models.Training;

namespace Latent.Cli.Tests;

public class TrainingTests
{
    [Fact]
    public void Cancel_then_resume_gives_the_weights_of_an_uninterrupted_run()
    {
        string[] extra = ["--epochs", "3", "--schedule", "cosine", "--optimizer", "adamw", "--clip", "1", "--augment", "shift:1", "--no-report"];
        var straight = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(straight, extra)).Code);

        var dir = CliRunner.TempDir();
        var cts = new CancellationTokenSource();
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Cli.Run(CliRunner.TinyTrain(dir, extra), o, e, new CliHooks
        {
            Cancellation = cts.Token,
            OnProgress = (p, _) => { if (p.Step == 5 && p.EpochEnd is null) cts.Cancel(); },
        });
        Assert.Equal(130, code);
        Assert.Contains("--resume", e.ToString());
        Assert.Single(e.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(dir, "checkpoints", "checkpoint.latent")));

        var r = CliRunner.Run(CliRunner.TinyTrain(dir, ["--resume", .. extra]));
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(CliRunner.Hash(Path.Combine(straight, "model.safetensors")), CliRunner.Hash(Path.Combine(dir, "model.safetensors")));
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, "metrics.csv")).Select(StripSeconds), File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Select(StripSeconds));
    }

    /// <summary>
    /// Ctrl+C while fitting the VQ-VAE's prior or while pretraining a stacked autoencoder: exit 130 with one line, the
    /// stage's checkpoint kept, and the same command with --resume writes the uninterrupted run's model file.
    /// </summary>
    [Theory]
    [InlineData("vq-vae", "prior-")]
    [InlineData("stacked-ae", "pretrain")]
    public void Cancel_in_a_side_stage_exits_130_and_resume_gives_the_uninterrupted_model(string model, string stage)
    {
        string[] Args(string dir, params string[] more) =>
        [
            "train", "--model", model, "--data", "sprites", "--samples", "40", "--image-size", "16", "--epochs", "2", "--batch", "16",
            "--prior-epochs", "3", "--no-report", "--quiet", "--out", dir,
            .. model == "vq-vae" ? ["--set", "hidden=8", "--set", "res_hidden=4", "--set", "k=8", "--set", "d=4", "--set", "prior_layers=2", "--set", "prior_channels=8"]
                : new[] { "--arch", "256-24-12-4", "--set", "pretrain_epochs=2" },
            .. more,
        ];
        var straight = CliRunner.TempDir();
        var s = CliRunner.Run(Args(straight));
        Assert.True(s.Code == 0, s.Err);

        var dir = CliRunner.TempDir();
        var cts = new CancellationTokenSource();
        var e = new StringWriter();
        int code = Cli.Run(Args(dir), new StringWriter(), e, new CliHooks
        {
            Cancellation = cts.Token,
            OnProgress = (p, _) => { if (p.Stage?.StartsWith(stage, StringComparison.Ordinal) == true && p.Step == 3 && p.EpochEnd is null) cts.Cancel(); },
        });
        Assert.Equal(130, code);
        Assert.Contains("--resume", Assert.Single(e.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains("checkpoint." + stage, e.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));

        var r = CliRunner.Run(Args(dir, "--resume"));
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(CliRunner.Hash(Path.Combine(straight, "model.safetensors")), CliRunner.Hash(Path.Combine(dir, "model.safetensors")));
    }

    /// <summary>A bias: a NaN there reaches the loss whatever the input (a weight may meet only zero pixels).</summary>
    private static Latent.Core.Tensor Bias(AutoencoderModel model) => model.StateDict().First(p => p.Name.EndsWith("bias", StringComparison.Ordinal)).Tensor;

    private static string StripSeconds(string line) => line[..line.LastIndexOf(',')];

    [Fact]
    public void A_nan_stops_training_with_one_line_and_keeps_the_last_checkpoint()
    {
        var dir = CliRunner.TempDir();
        var ck = Path.Combine(dir, "checkpoints", "checkpoint.latent");
        byte[]? atEpoch1 = null;
        var r = CliRunner.Run((p, model) =>
        {
            if (p.EpochEnd is null && p.Step == 5) // first step of epoch 2 (4 steps per epoch): epoch 1's checkpoint exists
            {
                atEpoch1 = File.ReadAllBytes(ck);
                Bias(model).Span[0] = float.NaN;
            }
        }, CliRunner.TinyTrain(dir, "--epochs", "3"));
        CliRunner.AssertOneLineError(r, contains: "diverged");
        Assert.NotNull(atEpoch1);
        Assert.Equal(atEpoch1, File.ReadAllBytes(ck));
        Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(dir, "model.json")));
    }

    [Fact]
    public void A_failed_run_never_overwrites_a_previous_model()
    {
        var dir = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir, "--no-report")).Code);
        var before = CliRunner.Snapshot(dir).Where(kv => kv.Key.Contains("model.")).ToList();
        var r = CliRunner.Run((p, model) => { if (p.Step == 2) Bias(model).Span[0] = float.NaN; }, CliRunner.TinyTrain(dir, "--no-report"));
        Assert.Equal(1, r.Code);
        Assert.Equal(before, CliRunner.Snapshot(dir).Where(kv => kv.Key.Contains("model.")).ToList());
    }

    public static TheoryData<string> ModelNames()
    {
        var data = new TheoryData<string>();
        foreach (var m in ModelRegistry.All) data.Add(m.Name);
        return data;
    }

    /// <summary>Every registered model trains through the CLI on tiny sprites and writes a loadable model and a report.</summary>
    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Every_registered_model_trains_on_tiny_sprites(string name)
    {
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run("train", "--model", name, "--samples", "48", "--image-size", "28", "--epochs", "1", "--batch", "16", "--out", dir, "--quiet", "--prior-epochs", "1");
        Assert.True(r.Code == 0, $"{name}: {r.Err}");
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
        var (model, manifest) = Latent.Models.IO.ModelFile.Load(dir);
        Assert.Equal(name, model.Name);
        Assert.True(manifest.Metrics["test_mse"] >= 0);
        Assert.Equal(0, CliRunner.Run("eval", dir, "--json").Code);
    }
}
