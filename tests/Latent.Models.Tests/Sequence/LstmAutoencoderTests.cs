using Latent.Core;
using Latent.Data;
using Latent.Data.Generated;
using Latent.Data.Series;
using Latent.Models.Autoencoder;
using Latent.Models.Metrics;
using Latent.Models.Sequence;
using Latent.Models.Tests.Autoencoder;
using Latent.Models.Training;

namespace Latent.Models.Tests.Sequence;

public class LstmAutoencoderTests
{
    private static readonly int[] Shape = [12, 2];

    private static LstmAeOptions Small(string cell = "lstm", bool reverse = true) =>
        new() { Cell = cell, Hidden = 10, CodeSize = 3, Reverse = reverse, Output = OutputDistribution.Gaussian };

    private static LstmVaeOptions SmallVae(string cell = "lstm") =>
        new() { Cell = cell, Hidden = 10, CodeSize = 3, Output = OutputDistribution.Gaussian };

    // Windows [12, 2] of a clean two-column series (the pendulum's angle and velocity, standardised).
    private static Dataset Windows(int steps = 400, ulong seed = 5)
    {
        var s = PendulumSeries.Generate(steps, steps, 0, seed);
        var st = Latent.Data.Tables.Standardizer.Fit(s.AsRows());
        return SeriesWindows.Windows(s.Standardise(st), 12, 3);
    }

    private static Tensor Batch(int n) => Windows().Batch(Enumerable.Range(0, n).ToArray());

    [Theory]
    [InlineData("lstm-ae", "lstm")]
    [InlineData("lstm-ae", "gru")]
    [InlineData("lstm-vae", "lstm")]
    [InlineData("lstm-vae", "gru")]
    public void Model_checks(string name, string cell)
    {
        var model = ModelChecks.RegistryRoundTrip(name, new() { ["cell"] = cell, ["hidden"] = "8", ["code"] = "3", ["output"] = "gaussian" }, Shape);
        ModelChecks.ShapesAndFiniteLoss(model, Batch(5));
        AutoencoderModel Make(ulong seed) => name == "lstm-ae" ? new LstmAutoencoder(Small(cell), Shape, new Rng(seed)) : new LstmVae(SmallVae(cell), Shape, new Rng(seed));
        ModelChecks.OneStepChangesEveryParameter(Make(1), Batch(8));
        ModelChecks.CheckpointLoadsBitIdentically(Make, Windows(120));
        ModelChecks.LossFalls(Make(4), Windows(), epochs: 8, ratio: 0.9);
    }

    [Fact]
    public void Parameters_are_named_by_part_and_sized_by_the_cell()
    {
        var lstm = new LstmAutoencoder(Small(), Shape, new Rng(1));
        var gru = new LstmAutoencoder(Small("gru"), Shape, new Rng(1));
        var vae = new LstmVae(SmallVae(), Shape, new Rng(1));
        var names = lstm.StateDict().ToDictionary(p => p.Name, p => p.Tensor.Shape);
        Assert.Equal([40, 2], names["encoder_cell.weight_ih"]);   // 4 gates x H, F = 2 per step
        Assert.Equal([3, 10], names["code.weight"]);
        Assert.Equal([40, 3], names["decoder_cell.weight_ih"]);   // the decoder reads the code at every step
        Assert.Equal([10, 3], names["decoder_init.weight"]);
        Assert.Equal([2, 10], names["output.weight"]);
        Assert.Equal([30, 2], gru.StateDict().First(p => p.Name == "encoder_cell.weight_ih").Tensor.Shape);
        Assert.Equal([6, 10], vae.StateDict().First(p => p.Name == "code.weight").Tensor.Shape); // μ and log σ²
    }

    [Fact]
    public void Reverse_emits_the_same_steps_last_first()
    {
        // The same seed draws the same weights; only the order in which the decoder's steps are written differs.
        var forward = new LstmAutoencoder(Small(reverse: false), Shape, new Rng(2));
        var backward = new LstmAutoencoder(Small(reverse: true), Shape, new Rng(2));
        var z = new Rng(3).Normal([2, 3]);
        var a = forward.DecoderOutput(z);
        var b = backward.DecoderOutput(z);
        for (int t = 0; t < 12; t++)
            Assert.Equal(a.Narrow(1, t, 1).ToArray(), b.Narrow(1, 11 - t, 1).ToArray());
        Assert.NotEqual(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void Vae_terms_are_the_closed_form_kl_and_the_negative_elbo()
    {
        var model = new LstmVae(SmallVae() with { Beta = 2f }, Shape, new Rng(1));
        var x = Batch(4);
        var t = model.Loss(x, new TrainingContext(new Rng(1))).Values().ToDictionary(v => v.Key, v => v.Value);
        var q = model.Posterior(x);
        var mu = q.Mean.ToArray();
        var lv = q.LogVariance.ToArray();
        double kl = Enumerable.Range(0, mu.Length).Sum(i => 0.5 * (mu[i] * mu[i] + Math.Exp(lv[i]) - 1 - lv[i])) / 4;
        Assert.Equal(kl, t["kl"], 4);
        Assert.Equal(2 * kl, t["regularisation"], 4);
        Assert.Equal(t["reconstruction"] + kl, t["neg_elbo"], 3);
        Assert.Equal(mu, model.Encode(x).ToArray());
        Assert.Equal([5, 12, 2], model.Sample(5, new Rng(1)).Shape);
    }

    [Fact]
    public void A_sample_must_be_a_sequence()
    {
        var e = Assert.Throws<ArgumentException>(() => new LstmAutoencoder(Small(), [16], new Rng(1)));
        Assert.Equal("inputShape", e.ParamName);
        Assert.Contains("--window N", e.Message);
        Assert.Contains("must be one of lstm, gru", Assert.Throws<ArgumentException>(() => LstmAeOptions.Schema.Parse(new Dictionary<string, string> { ["cell"] = "rnn" })).Message);
    }

    [Fact]
    public void A_single_channel_image_is_a_sequence_of_rows()
    {
        var images = TestData.LowRankImages(64); // [1, 4, 4]
        var model = new LstmAutoencoder(Small() with { Output = OutputDistribution.Bernoulli }, images.SampleShape, new Rng(1));
        Assert.Equal(4, model.Steps);
        Assert.Equal([4], model.FrameShape);
        Assert.Equal([40, 4], model.StateDict().First(p => p.Name == "encoder_cell.weight_ih").Tensor.Shape);
        Assert.Equal([3, 1, 4, 4], model.Reconstruct(images.Batch([0, 1, 2])).Shape);
        var frames = new LstmAutoencoder(Small(), [10, 1, 4, 4], new Rng(1)); // a sequence of images keeps its frames
        Assert.Equal(10, frames.Steps);
        Assert.Equal([1, 4, 4], frames.FrameShape);
    }

    [Fact]
    public void Trains_on_moving_sprite_frames()
    {
        var data = MovingSprites.Generate(48, 4, 16, seed: 1).Sequences; // [4, 1, 16, 16] per sample
        var model = new LstmAutoencoder(new LstmAeOptions { Hidden = 16, CodeSize = 4 }, data.SampleShape, new Rng(1));
        ModelChecks.LossFalls(model, data, epochs: 6, ratio: 0.9);
        Assert.All(model.Reconstruct(data.Batch([0, 1])).ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    /// <summary>
    /// The claim of LSTM-AD (Malhotra et al. 2016): trained on normal windows only, the reconstruction error is higher on
    /// windows that hold an anomaly. Windows of the generated series with injected events, ROC-AUC of the per-window error.
    /// </summary>
    [Fact]
    public void Reconstruction_error_separates_anomalous_windows()
    {
        var series = AnomalySeries.Generate(2400, 1200, 6, seed: 2);
        var st = Latent.Data.Tables.Standardizer.Fit(series.Slice(0, 1200).AsRows());
        var s = series.Standardise(st);
        var train = SeriesWindows.Windows(s.Slice(0, 1200), 24, 4);
        var test = SeriesWindows.Windows(s.Slice(1200, 1200), 24, 4);
        var model = new LstmAutoencoder(new LstmAeOptions { Hidden = 24, CodeSize = 6, Output = OutputDistribution.Gaussian }, [24, 1], new Rng(1));
        ModelChecks.Fit(model, train, epochs: 15, lr: 1e-2f, batch: 32);
        model.Eval();
        var errors = Evaluation.SquaredErrorPerSample(model, test);
        double auc = AnomalyMetrics.RocAuc(errors, test.Labels!.Select(l => l != 0).ToArray());
        Assert.True(auc > 0.8, $"window ROC-AUC {auc:F3}");
    }
}
