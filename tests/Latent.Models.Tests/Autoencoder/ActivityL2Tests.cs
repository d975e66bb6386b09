using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Training;
using Ae = Latent.Models.Autoencoder.Autoencoder;

namespace Latent.Models.Tests.Autoencoder;

/// <summary>activity_l2=λ: λ · (1/B) Σ_b ‖z_b‖² added to the loss as the term "activity_l2".</summary>
public class ActivityL2Tests
{
    private static Ae Model(float lambda, ulong seed = 1) =>
        new(new AutoencoderOptions { Architecture = "16-8-3", ActivityL2 = lambda }, [1, 4, 4], new Rng(seed));

    [Fact]
    public void The_penalty_is_lambda_times_the_mean_squared_code_norm_and_enters_the_total()
    {
        var model = Model(0.3f);
        var x = TestData.LowRankImages(5).Batch([0, 1, 2, 3, 4]);
        var terms = model.Loss(x, new TrainingContext(new Rng(1)));
        var z = model.Encode(x).ToArray();
        double expected = 0.3 * z.Sum(v => (double)v * v) / 5;
        var penalty = Assert.Single(terms.Extras);
        Assert.Equal(NetworkAutoencoder.ActivityL2Name, penalty.Key);
        Assert.Equal(expected, penalty.Value.Item(), 5);
        Assert.Equal(terms.Reconstruction.Item() + penalty.Value.Item(), terms.Total.Item(), 4);
        Assert.True(penalty.Value.Item() > 1e-3, "the code is not near zero, so the test can tell the term is there");
    }

    [Fact]
    public void Lambda_zero_adds_no_term_and_changes_no_value()
    {
        var x = TestData.LowRankImages(5).Batch([0, 1, 2, 3, 4]);
        var off = Model(0f).Loss(x, new TrainingContext(new Rng(1)));
        Assert.Empty(off.Extras);
        Assert.Same(off.Total, off.Reconstruction);
        Assert.Equal(0f, new AutoencoderOptions().ActivityL2);
    }

    [Fact]
    public void Training_with_the_penalty_shrinks_the_code_and_logs_the_term()
    {
        var data = TestData.LowRankImages(64);
        var dir = TestData.TempDir();
        var plain = ModelChecks.Fit(Model(0f), data, 8);
        var penalised = Model(1f);
        Trainer.Fit(penalised, data, null, new TrainingOptions { Epochs = 8, BatchSize = 16, LearningRate = 1e-2f, Seed = 3, OutputDirectory = dir });
        double Norm(Ae m) { m.Eval(); return m.Encode(data.Batch(Enumerable.Range(0, 64).ToArray())).Square().Sum().Item() / 64; }
        Assert.True(Norm(penalised) < 0.5 * Norm(plain), $"mean ‖z‖² {Norm(plain)} without, {Norm(penalised)} with the penalty");
        var header = File.ReadLines(Path.Combine(dir, "metrics.csv")).First().Split(',');
        Assert.Contains("train_activity_l2", header);
    }

    [Theory]
    [InlineData("dae")]
    [InlineData("sparse-ae")]
    [InlineData("k-sparse-ae")]
    [InlineData("dropout-ae")]
    [InlineData("contractive-ae")]
    [InlineData("stacked-ae")]
    public void Every_family_with_the_key_adds_the_term(string name)
    {
        var settings = new Dictionary<string, string> { ["arch"] = "16-8-6", ["activity_l2"] = "0.5" };
        if (name == "k-sparse-ae") { settings["k"] = "2"; settings["k_start"] = "6"; }
        var model = (NetworkAutoencoder)ModelRegistry.Create(name, settings, [1, 4, 4], new Rng(1));
        var x = TestData.LowRankImages(4).Batch([0, 1, 2, 3]);
        var terms = model.Loss(x, new TrainingContext(new Rng(2)));
        var penalty = terms.Extras.Single(e => e.Key == NetworkAutoencoder.ActivityL2Name).Value.Item();
        Assert.True(penalty > 0, $"{name}: {penalty}");
        double rest = terms.Reconstruction.Item() + (terms.Regularisation?.Item() ?? 0);
        Assert.Equal(rest + penalty, terms.Total.Item(), 3);
    }

    [Fact]
    public void A_negative_weight_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Get("ae").Schema.Parse(new Dictionary<string, string> { ["activity_l2"] = "-1" }));
        Assert.Equal("ae: option 'activity_l2' = -1: must be a number in [0, inf)", Options.OptionSchemaTests.Message(e));
    }
}
