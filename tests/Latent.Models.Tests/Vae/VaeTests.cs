using Latent.Core;
using Latent.Data;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using Latent.Models.Metrics;
using Latent.Models.Training;
using Latent.Models.Vae;
using Latent.NN.Losses;
using Latent.NN.Optim;
using VaeModel = Latent.Models.Vae.Vae;

namespace Latent.Models.Tests.Vae;

public class VaeTests
{
    private static VaeModel Small(ulong seed = 1, string arch = "16-8-3", OutputDistribution output = OutputDistribution.Bernoulli, float beta = 1f) =>
        new(new VaeOptions { Architecture = arch, Output = output, Beta = beta }, [1, 4, 4], new Rng(seed));

    private static Tensor Batch(int n) => TestData.LowRankImages(n).Batch(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Encoder_outputs_two_z_and_decoder_reads_z()
    {
        var model = Small();
        var shapes = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.Shape);
        Assert.Equal([8, 16], shapes["encoder.1.weight"]);
        Assert.Equal([6, 8], shapes["encoder.3.weight"]);   // 2Z = [mu, log var]
        Assert.Equal([8, 3], shapes["decoder.0.weight"]);
        Assert.Equal([16, 8], shapes["decoder.2.weight"]);
        Assert.Equal(3, model.CodeSize);
        Assert.Equal("vae", model.Name);
    }

    [Fact]
    public void Shapes_of_posterior_code_reconstruction_and_samples()
    {
        var model = Small();
        var x = Batch(5);
        var q = model.Posterior(x);
        Assert.Equal([5, 3], q.Mean.Shape);
        Assert.Equal([5, 3], q.LogVariance.Shape);
        Assert.Equal(q.Mean.ToArray(), model.Encode(x).ToArray()); // Encode is the mean
        var r = model.Reconstruct(x);
        Assert.Equal([5, 1, 4, 4], r.Shape);
        Assert.All(r.ToArray(), v => Assert.InRange(v, 0f, 1f));
        var s = model.Sample(7, new Rng(3));
        Assert.Equal([7, 1, 4, 4], s.Shape);
        Assert.All(s.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(s.ToArray(), model.Sample(7, new Rng(3)).ToArray());
    }

    [Fact]
    public void Reparameterisation_is_mu_plus_sigma_times_eps()
    {
        var q = new DiagonalGaussian(Tensor.FromArray([1f, -2f], 1, 2), Tensor.FromArray([0f, MathF.Log(4f)], 1, 2));
        var eps = new Rng(9).Normal([1, 2]).ToArray();
        var z = q.Sample(new Rng(9)).ToArray();
        Assert.Equal(1f + eps[0], z[0], 5);
        Assert.Equal(-2f + 2f * eps[1], z[1], 5);
    }

    [Fact]
    public void Loss_is_bce_summed_per_sample_plus_closed_form_kl()
    {
        var model = Small();
        var x = Batch(4);
        var terms = model.Loss(x, new TrainingContext(new Rng(2)));
        var q = model.Posterior(x);
        float kl = Loss.KlNormal(q.Mean, q.LogVariance, Reduction.Sum).Item() / 4;
        var values = terms.Values().ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal(kl, values["kl"], 4);
        Assert.Equal(values["regularisation"], values["kl"], 6);
        Assert.Equal(values["reconstruction"] + values["kl"], values["total"], 3);
        Assert.Equal(values["total"], values["neg_elbo"], 3);

        // The reconstruction term is BCE on the decoder's logits at z = mu + sigma * eps with the context's stream.
        var z = q.Sample(new Rng(2));
        float rec = Loss.BceWithLogits(model.Decoder.Forward(z), x, Reduction.Sum).Item() / 4;
        Assert.Equal(rec, values["reconstruction"], 3);
        Assert.All(values.Values, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Beta_and_warm_up_weight_scale_only_the_kl_term()
    {
        var x = Batch(4);
        var t = Small(beta: 3f).Loss(x, new TrainingContext(new Rng(2), regularisationWeight: 0.5f)).Values().ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(1.5 * t["kl"], t["regularisation"], 4);
        Assert.Equal(t["reconstruction"] + t["kl"], t["neg_elbo"], 3);
    }

    [Fact]
    public void Gaussian_decoder_is_unit_variance_nll()
    {
        var model = new VaeModel(new VaeOptions { Architecture = "16-4", Output = OutputDistribution.Gaussian }, [16], new Rng(3));
        var x = new Rng(4).Normal([3, 16], std: 2f);
        var output = model.Decoder.Forward(model.Encode(x));
        Assert.Contains(model.Decode(model.Encode(x)).ToArray(), v => v is < 0f or > 1f);
        var nll = model.Likelihood(output).NegativeLogLikelihood(x).ToArray();
        var o = output.ToArray();
        var xs = x.ToArray();
        for (int b = 0; b < 3; b++)
        {
            double expected = 8 * Math.Log(2 * Math.PI);
            for (int i = 0; i < 16; i++) expected += 0.5 * (o[b * 16 + i] - xs[b * 16 + i]) * (o[b * 16 + i] - xs[b * 16 + i]);
            Assert.Equal(expected, nll[b], 3);
        }
    }

    [Fact]
    public void One_step_changes_every_parameter()
    {
        var model = Small();
        var before = model.Parameters().Select(p => p.ToArray()).ToList();
        var opt = new Adam(model.Parameters(), 1e-2f);
        model.Loss(Batch(8), new TrainingContext(new Rng(1))).Total.Backward();
        opt.Step();
        var after = model.Parameters().Select(p => p.ToArray()).ToList();
        for (int i = 0; i < before.Count; i++) Assert.NotEqual(before[i], after[i]);
    }

    [Fact]
    public void Checkpoint_weights_load_bit_identically()
    {
        var dir = TestData.TempDir();
        var model = Small(seed: 1);
        var data = TestData.LowRankImages(32);
        Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 2, BatchSize = 8, OutputDirectory = dir });
        var ckpt = Checkpoint.Load(Path.Combine(dir, Trainer.CheckpointFileName));
        var copy = (VaeModel)ModelRegistry.Create("vae", ToSettings(ckpt.ModelOptions), [1, 4, 4], new Rng(99));
        Assert.NotEqual(TestData.Weights(model), TestData.Weights(copy));
        copy.LoadStateDict(ckpt.Weights.ToDictionary(p => p.Name, p => p.Tensor));
        Assert.Equal(TestData.Weights(model), TestData.Weights(copy));
        var x = data.Batch([0, 1, 2]);
        Assert.Equal(model.Reconstruct(x).ToArray(), copy.Reconstruct(x).ToArray());
        Assert.Equal(model.Sample(3, new Rng(5)).ToArray(), copy.Sample(3, new Rng(5)).ToArray());
    }

    [Fact]
    public void Loss_falls_on_a_tiny_dataset_with_a_fixed_seed()
    {
        var result = Trainer.Fit(Small(seed: 5), TestData.LowRankImages(128), null,
            new TrainingOptions { Epochs = 15, BatchSize = 16, LearningRate = 1e-2f, Seed = 3, CheckpointEvery = 0 });
        double first = result.History[0].TrainValue("total"), last = result.History[^1].TrainValue("total");
        Assert.True(last < 0.97 * first, $"loss went {first} -> {last}");
    }

    /// <summary>Burda et al. 2016, Theorem 1: the K-sample bound is at least the ELBO and tightens with K.</summary>
    [Fact]
    public void Importance_sampled_nll_is_below_the_negative_elbo_and_tightens_with_k()
    {
        var data = TestData.LowRankImages(200);
        var model = Small(seed: 5);
        Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 8, BatchSize = 16, LearningRate = 1e-2f, Seed = 3, CheckpointEvery = 0 });

        // The negative ELBO averaged over many posterior draws, so its own noise is small.
        double negElbo = 0;
        for (int r = 0; r < 10; r++)
            negElbo += Evaluation.AverageLossTerms(model, data, 50, new Rng(100 + (ulong)r)).First(t => t.Key == "neg_elbo").Value / 10;
        double k1 = Likelihood.ImportanceSampledNll(model, data, 1, new Rng(7));
        double k50 = Likelihood.ImportanceSampledNll(model, data, 50, new Rng(7));
        Assert.True(double.IsFinite(k50));
        Assert.True(Math.Abs(k1 - negElbo) < 0.05 * Math.Abs(negElbo) + 0.1, $"K=1 estimate {k1} vs negative ELBO {negElbo}");
        Assert.True(k50 < negElbo, $"IS-NLL(K=50) {k50} not below the negative ELBO {negElbo}");
        Assert.True(k50 < k1, $"K=50 {k50} not tighter than K=1 {k1}");
        Assert.True(negElbo - k50 < 0.5 * Math.Abs(negElbo), $"gap {negElbo - k50} implausibly large");
    }

    [Fact]
    public void Options_parse_round_trip_and_name_bad_keys()
    {
        var o = VaeOptions.Schema.Parse(new Dictionary<string, string> { ["arch"] = "784-128-20", ["hidden"] = "relu", ["output"] = "bce", ["beta"] = "2.5" });
        Assert.Equal("784-128-20", o.Architecture);
        Assert.Equal(2.5f, o.Beta);
        Assert.Equal(20, o.LatentSize);
        Assert.Equal(o, VaeOptions.Schema.Parse(ToSettings(o.ToText())));
        Assert.Equal("Beta", Assert.Throws<ArgumentException>(() => VaeOptions.Schema.Parse(new Dictionary<string, string> { ["beta"] = "-1" })).ParamName);
        Assert.Equal("Architecture", Assert.Throws<ArgumentException>(() => VaeOptions.Schema.Parse(new Dictionary<string, string> { ["arch"] = "784" })).ParamName);
        Assert.Throws<ArgumentException>(() => VaeOptions.Schema.Parse(new Dictionary<string, string> { ["gamma"] = "3" }));
        var seed = ModelRegistry.Create("vae", new Dictionary<string, string> { ["arch"] = "784-128-20" }, [1, 28, 28], new Rng(1));
        Assert.Equal(20, seed.CodeSize);
        Assert.Contains("Kingma & Welling 2014", ModelRegistry.Get("vae").Citation);
    }

    [Fact]
    public void Wrong_shapes_name_the_op()
    {
        var model = Small();
        Assert.Contains("vae.Encode", Assert.Throws<ArgumentException>(() => model.Encode(Tensor.Zeros(2, 16))).Message);
        Assert.Throws<ArgumentException>(() => model.Decode(Tensor.Zeros(2, 5)));
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => model.ImportanceSampledNll(Batch(2), 0, new Rng(1))).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentException>(() => model.Sample(0, new Rng(1))).ParamName);
    }

    internal static Dictionary<string, string> ToSettings(string text) =>
        text.Split(' ').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
}
