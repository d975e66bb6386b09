using Latent.Core;
using Latent.Data;
using Latent.Models.Distributions;
using Latent.Models.Dvae;
using Latent.Models.Training;
using Latent.NN.Losses;
using Latent.NN.Optim;
using DvaeModel = Latent.Models.Dvae.Dvae;

namespace Latent.Models.Tests.Dvae;

public class DvaeTests
{
    private static DvaeModel Mlp(ulong seed = 1, int latents = 6, int k = 4, float beta = 1f) =>
        new(new DvaeOptions { Network = "mlp", Latents = latents, Categories = k, EmbeddingDim = 3, Hidden = "24", Beta = beta }, [1, 4, 4], new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Conv_builds_a_grid_of_tokens_with_paper_shapes()
    {
        var model = new DvaeModel(new DvaeOptions { Categories = 5, EmbeddingDim = 3, Channels = 4 }, [1, 8, 8], new Rng(1));
        Assert.Equal(4, model.Latents); // 8x8 / 4 → a 2x2 grid
        Assert.Equal(20, model.CodeSize);
        Assert.Contains(model.StateDict(), p => p.Name == "codebook" && Shapes.Equal(p.Tensor.Shape, [5, 3]));
        var x = new Rng(2).Uniform([3, 1, 8, 8]);
        Assert.Equal([3, 4, 5], model.Logits(x).Shape);
        var z = model.Encode(x);
        Assert.Equal([3, 20], z.Shape);
        var rows = z.Reshape(12, 5).ToArray();
        for (int r = 0; r < 12; r++) Assert.Equal(1f, rows.Skip(5 * r).Take(5).Sum()); // one-hot rows
        var decoded = model.Decode(z);
        Assert.Equal([3, 1, 8, 8], decoded.Shape);
        Assert.All(decoded.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal([2, 1, 8, 8], model.Sample(2, new Rng(3)).Shape);
        Assert.True(float.IsFinite(model.Loss(x, new TrainingContext(new Rng(4))).Total.Item()));
    }

    [Fact]
    public void Conv_rejects_shapes_it_cannot_downsample()
    {
        var e = Assert.Throws<ArgumentException>(() => new DvaeModel(new DvaeOptions(), [1, 10, 10], new Rng(1)));
        Assert.Equal("inputShape", e.ParamName);
        Assert.Contains("network=mlp", e.Message);
    }

    [Fact]
    public void Gumbel_softmax_rows_sum_to_one_and_the_hard_sample_is_a_categorical_draw()
    {
        var logits = Tensor.FromArray([1.5f, 0f, -1f], 1, 3).BroadcastTo([4000, 3]).Clone();
        var y = GumbelSoftmax.Relaxed(logits, 0.5f, new Rng(7));
        var sums = y.Sum(-1).ToArray();
        Assert.All(sums, s => Assert.Equal(1f, s, 4));
        // Gumbel-max: argmax(ℓ + g) ~ softmax(ℓ), whatever τ.
        var counts = new double[3];
        foreach (int i in y.ArgMax(-1)) counts[i]++;
        var p = logits.Narrow(0, 0, 1).Softmax(-1).ToArray();
        for (int i = 0; i < 3; i++) Assert.InRange(counts[i] / 4000, p[i] - 0.03, p[i] + 0.03);
        // Low temperature: nearly one-hot.
        var cold = GumbelSoftmax.Relaxed(logits.Narrow(0, 0, 50), 0.01f, new Rng(8));
        var coldLogits = logits.Narrow(0, 0, 50);
        Assert.Equal((coldLogits + new Rng(8).Gumbel(coldLogits.Shape)).ArgMax(-1), cold.ArgMax(-1));
        Assert.True(cold.Max(-1).Mean().Item() > 0.95f, $"mean max {cold.Max(-1).Mean().Item()}");
    }

    [Fact]
    public void Straight_through_is_one_hot_forward_and_soft_backward()
    {
        var logits = new Rng(1).Normal([5, 4]).RequireGrad();
        var w = new Rng(2).Normal([5, 4]);
        var soft = GumbelSoftmax.Relaxed(logits, 0.7f, new Rng(3));
        var st = GumbelSoftmax.StraightThrough(soft);
        var idx = soft.ArgMax(-1);
        var values = st.ToArray();
        for (int r = 0; r < 5; r++)
            for (int k = 0; k < 4; k++) Assert.Equal(k == idx[r] ? 1f : 0f, values[r * 4 + k]);
        (st * w).Sum().Backward();
        var gradSt = logits.Grad!.ToArray();
        logits.Grad = null;
        var soft2 = GumbelSoftmax.Relaxed(logits, 0.7f, new Rng(3));
        (soft2 * w).Sum().Backward();
        Assert.Equal(logits.Grad!.ToArray(), gradSt);
    }

    [Fact]
    public void Temperature_and_beta_follow_cosine_schedules_to_the_paper_values()
    {
        var o = new DvaeOptions();
        Assert.Equal(1f, o.TemperatureAt(0));
        Assert.Equal(1f / 16, o.TemperatureAt(1), 6);
        Assert.Equal((1f + 1f / 16) / 2, o.TemperatureAt(0.5), 5);
        Assert.Equal(0f, o.BetaAt(0));
        Assert.Equal(6.6f, o.BetaAt(0.05), 5);
        Assert.Equal(6.6f, o.BetaAt(1), 5);
        var taus = Enumerable.Range(0, 11).Select(i => o.TemperatureAt(i / 10.0)).ToArray();
        Assert.True(taus.Zip(taus.Skip(1)).All(p => p.Second < p.First));
        Assert.Equal(0.5f, (o with { TemperatureAnneal = 0.05 }).TemperatureAt(0.025) - 1f / 32, 5);
    }

    [Fact]
    public void Loss_reports_elbo_terms_and_the_kl_to_the_uniform_prior()
    {
        var model = Mlp(beta: 2f);
        var x = Batch(5);
        var terms = model.Loss(x, new TrainingContext(new Rng(1), progress: 0.5));
        var extras = terms.Extras.ToDictionary(e => e.Key, e => e.Value.Item());
        var logq = model.Logits(x).LogSoftmax(-1).ToArray();
        double kl = logq.Sum(l => Math.Exp(l) * l) / 5 + 6 * Math.Log(4);
        Assert.Equal(kl, extras["kl"], 3);
        Assert.InRange(extras["kl"], 0, 6 * Math.Log(4) + 1e-4);
        Assert.Equal(((DvaeOptions)model.Options).TemperatureAt(0.5), extras["temperature"], 6);
        Assert.Equal(2f, extras["beta"], 5);
        Assert.Equal(extras["kl"] * 2, terms.Regularisation!.Item(), 3);
        Assert.Equal(terms.Reconstruction.Item() + extras["kl"], extras["neg_elbo"], 3);
        Assert.Equal(terms.Reconstruction.Item() + terms.Regularisation.Item(), terms.Total.Item(), 3);
        Assert.True(float.IsFinite(terms.Total.Item()));
    }

    [Fact]
    public void Evaluation_loss_decodes_hard_samples()
    {
        var model = Mlp();
        var x = Batch(4);
        var terms = model.Loss(x, TrainingContext.ForEvaluation(new Rng(9)));
        var logits = model.Logits(x);
        var hard = GumbelSoftmax.OneHot((logits + new Rng(9).Gumbel(logits.Shape)).ArgMax(-1), logits.Shape);
        float expected = Loss.BceWithLogits(model.DecoderLogits(hard), x, Reduction.Sum).Item() / 4;
        Assert.Equal(expected, terms.Reconstruction.Item(), 4);
        Assert.Equal(1f / 16, terms.Extras.First(e => e.Key == "temperature").Value.Item());
    }

    [Fact]
    public void One_step_changes_every_parameter()
    {
        var model = Mlp();
        var before = model.Parameters().Select(p => p.ToArray()).ToList();
        var opt = new Adam(model.Parameters(), 1e-2f);
        model.Loss(Batch(8), new TrainingContext(new Rng(1), progress: 0.5)).Total.Backward();
        opt.Step();
        var after = model.Parameters().Select(p => p.ToArray()).ToList();
        for (int i = 0; i < before.Count; i++) Assert.NotEqual(before[i], after[i]);
    }

    [Fact]
    public void State_dict_round_trip_is_bit_identical()
    {
        var model = Mlp(seed: 1);
        var copy = Mlp(seed: 2);
        var x = Batch(6);
        Assert.NotEqual(model.Reconstruct(x).ToArray(), copy.Reconstruct(x).ToArray());
        copy.LoadStateDict(model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.Clone()));
        Assert.Equal(TestData.Weights(model), TestData.Weights(copy));
        Assert.Equal(model.Reconstruct(x).ToArray(), copy.Reconstruct(x).ToArray());
        Assert.Equal(model.Sample(3, new Rng(5)).ToArray(), copy.Sample(3, new Rng(5)).ToArray());
    }

    [Fact]
    public void Loss_falls_and_hard_codes_reconstruct_like_soft_ones_after_annealing()
    {
        // The paper's claim (§2.1): annealing τ to 1/16 closes the gap between the relaxed and the discrete model.
        var data = TestData.LowRankImages(256);
        var model = new DvaeModel(new DvaeOptions { Network = "mlp", Latents = 8, Categories = 8, EmbeddingDim = 4, Hidden = "32", Beta = 1f },
            [1, 4, 4], new Rng(3));
        var result = Trainer.Fit(model, data, TestData.LowRankImages(64, seed: 8),
            new TrainingOptions { Epochs = 12, BatchSize = 32, LearningRate = 5e-3f, Seed = 2, CheckpointEvery = 0 });
        double first = result.History[0].TrainValue("reconstruction"), last = result.History[^1].TrainValue("reconstruction");
        Assert.True(last < 0.95 * first, $"reconstruction went {first} -> {last}");
        Assert.True(result.History[^1].TrainValue("temperature") < 0.1);

        var r = DvaeEvaluation.HardVersusSoft(model, TestData.LowRankImages(64, seed: 8));
        Assert.True(r.HardSoftMse < 0.1 * r.HardMse, $"hard {r.HardMse}, soft {r.SoftMse}, between {r.HardSoftMse}");
        Assert.InRange(r.HardMse, 0.5 * r.SoftMse, 1.5 * r.SoftMse);
        // The relaxation at τ = 1 is a different decoder input: far from the hard code.
        var warm = DvaeEvaluation.HardVersusSoft(model, TestData.LowRankImages(64, seed: 8), temperature: 1f);
        Assert.True(warm.HardSoftMse > r.HardSoftMse, $"tau=1 gap {warm.HardSoftMse} vs tau=1/16 gap {r.HardSoftMse}");
    }

    [Fact]
    public void Options_parse_round_trip_and_bad_values_name_the_option()
    {
        var o = DvaeOptions.Schema.Parse(new Dictionary<string, string> { ["network"] = "mlp", ["k"] = "16", ["tau_end"] = "1/8", ["beta"] = "2" });
        Assert.Equal(16, o.Categories);
        Assert.Equal(0.125f, o.TemperatureEnd);
        Assert.Equal(o, DvaeOptions.Schema.Parse(o.ToText().Split(' ').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1])));
        Assert.Equal(new DvaeOptions(), DvaeOptions.Schema.Parse(new DvaeOptions().ToText().Split(' ').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1])));
        Assert.Equal("Categories", Assert.Throws<ArgumentException>(() => DvaeOptions.Schema.Parse(new Dictionary<string, string> { ["k"] = "1" })).ParamName);
        Assert.Equal("TemperatureEnd", Assert.Throws<ArgumentException>(() => DvaeOptions.Schema.Parse(new Dictionary<string, string> { ["tau_end"] = "2" })).ParamName);
        Assert.Equal("Network", Assert.Throws<ArgumentException>(() => DvaeOptions.Schema.Parse(new Dictionary<string, string> { ["network"] = "rnn" })).ParamName);
        Assert.Equal("Hidden", Assert.Throws<ArgumentException>(() => DvaeOptions.Schema.Parse(new Dictionary<string, string> { ["hidden"] = "8-x" })).ParamName);
        Assert.Throws<ArgumentException>(() => DvaeOptions.Schema.Parse(new Dictionary<string, string> { ["depth"] = "3" }));
    }

    [Fact]
    public void Registry_creates_dvae_and_wrong_shapes_name_the_op()
    {
        var model = ModelRegistry.Create("dvae", new Dictionary<string, string> { ["network"] = "mlp", ["latents"] = "3", ["k"] = "5", ["hidden"] = "8" }, [1, 4, 4], new Rng(1));
        Assert.IsType<DvaeModel>(model);
        Assert.Equal(15, model.CodeSize);
        var e = Assert.Throws<ArgumentException>(() => model.Decode(Tensor.Zeros(2, 7)));
        Assert.Contains("dvae.Decode", e.Message);
        Assert.Throws<ArgumentException>(() => model.Encode(Tensor.Zeros(2, 16)));
    }
}
