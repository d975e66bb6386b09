using Latent.Core;
using Latent.Models.Training;
using Latent.Models.VqVae;
using Latent.NN.Optim;
using VqModel = Latent.Models.VqVae.VqVae;

namespace Latent.Models.Tests.VqVae;

public class VqVaeTests
{
    private static TrainingContext Train(ulong seed = 1) => new(new Rng(seed));

    [Fact]
    public void Registry_builds_with_paper_defaults_and_named_keys()
    {
        var info = ModelRegistry.Get("vq-vae");
        Assert.Contains("van den Oord", info.Citation);
        Assert.Contains("k=128 d=16", info.DefaultOptionsText);
        Assert.Contains("beta=0.25", info.DefaultOptionsText);
        var model = (VqModel)ModelRegistry.Create("vq-vae", new Dictionary<string, string> { ["k"] = "8", ["d"] = "4", ["hidden"] = "8", ["res_hidden"] = "4", ["prior_layers"] = "2", ["prior_channels"] = "8" }, [1, 28, 28], new Rng(1));
        Assert.Equal((7, 7), (model.CodeHeight, model.CodeWidth));
        Assert.Equal(4 * 7 * 7, model.CodeSize);
        var keys = model.StateDict().Select(p => p.Name).ToList();
        Assert.Contains("quantizer.codebook", keys);
        Assert.Contains("prior.trained", keys);
        Assert.Contains(keys, k => k.StartsWith("prior.layer0.vertical_weight", StringComparison.Ordinal));
        var m32 = (VqModel)ModelRegistry.Create("vq-vae", new Dictionary<string, string> { ["hidden"] = "8", ["prior_channels"] = "8" }, [3, 32, 32], new Rng(1));
        Assert.Equal((8, 8), (m32.CodeHeight, m32.CodeWidth));
    }

    [Fact]
    public void Options_round_trip_and_bad_values_name_the_option()
    {
        var o = VqVaeOptions.Schema.Parse(new Dictionary<string, string> { ["k"] = "64", ["ema"] = "true", ["restart"] = "50", ["beta"] = "0.5" });
        Assert.Equal(o, VqVaeOptions.Schema.Parse(o.ToText().Split(' ').Select(s => s.Split('=')).ToDictionary(p => p[0], p => p[1])));
        Assert.Equal("CodebookSize", Assert.Throws<ArgumentException>(() => VqVaeOptions.Schema.Parse(new Dictionary<string, string> { ["k"] = "0" })).ParamName);
        Assert.Equal("Decay", Assert.Throws<ArgumentException>(() => VqVaeOptions.Schema.Parse(new Dictionary<string, string> { ["decay"] = "1" })).ParamName);
        Assert.Equal("PriorKernel", Assert.Throws<ArgumentException>(() => VqVaeOptions.Schema.Parse(new Dictionary<string, string> { ["prior_kernel"] = "4" })).ParamName);
        Assert.Equal("Ema", Assert.Throws<ArgumentException>(() => VqVaeOptions.Schema.Parse(new Dictionary<string, string> { ["ema"] = "maybe" })).ParamName);
        Assert.Equal("inputShape", Assert.Throws<ArgumentException>(() => new VqModel(new VqVaeOptions(), [1, 30, 30], new Rng(1))).ParamName);
    }

    [Fact]
    public void Encode_indices_decode_shapes_agree()
    {
        var model = VqTestData.Small();
        var x = VqTestData.Batch(VqTestData.Patterns(5), 5);
        var idx = model.EncodeIndices(x);
        Assert.Equal(5 * 2 * 2, idx.Length);
        Assert.All(idx, k => Assert.InRange(k, 0, 7));
        var z = model.Encode(x);
        Assert.Equal([5, 4 * 2 * 2], z.Shape);
        var images = model.DecodeIndices(idx, 5);
        Assert.Equal([5, 1, 8, 8], images.Shape);
        Assert.Equal(images.ToArray(), model.Decode(z).ToArray());
        Assert.Equal(images.ToArray(), model.Reconstruct(x).ToArray());
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => model.DecodeIndices(idx, 4)).ParamName);
    }

    [Fact]
    public void Quantizer_picks_the_nearest_code_and_passes_gradients_straight_through()
    {
        var q = new VectorQuantizer(6, 3, new Rng(2));
        var rng = new Rng(3);
        rng.Normal([6, 3]).Span.CopyTo(q.Embeddings.Span);
        var zE = rng.Normal([2, 3, 2, 2]).RequireGrad();
        var result = q.Forward(zE, TrainingContext.ForEvaluation(new Rng(1)));
        var e = q.Embeddings.ToArray();
        var z = zE.ToArray();
        for (int b = 0; b < 2; b++)
            for (int p = 0; p < 4; p++)
            {
                int best = 0; double bestD = double.MaxValue;
                for (int k = 0; k < 6; k++)
                {
                    double d = 0;
                    for (int c = 0; c < 3; c++) { double diff = z[(b * 3 + c) * 4 + p] - e[k * 3 + c]; d += diff * diff; }
                    if (d < bestD) { bestD = d; best = k; }
                }
                int k0 = result.Indices[b * 4 + p];
                Assert.Equal(best, k0);
                for (int c = 0; c < 3; c++) Assert.Equal(e[k0 * 3 + c], result.StraightThrough.ToArray()[(b * 3 + c) * 4 + p], 5);
            }
        // d/dz_e Σ w ⊙ z_q_st = w: the straight-through estimator copies the gradient.
        var w = rng.Normal([2, 3, 2, 2]);
        (result.StraightThrough * w).Sum().Backward();
        Assert.Equal(w.ToArray(), zE.Grad!.ToArray());
    }

    [Fact]
    public void Loss_is_reconstruction_plus_codebook_plus_beta_commitment()
    {
        var model = VqTestData.Small();
        var x = VqTestData.Batch(VqTestData.Patterns(4), 4);
        var terms = model.Loss(x, TrainingContext.ForEvaluation(new Rng(1)));
        var extras = terms.Extras.ToDictionary(e => e.Key, e => e.Value.Item());
        Assert.True(float.IsFinite(terms.Total.Item()));
        Assert.Equal(extras["codebook"], extras["commitment"], 4); // same squared distance, different stop-gradients
        Assert.Equal(terms.Reconstruction.Item() + extras["codebook"] + 0.25f * extras["commitment"], terms.Total.Item(), 3);
        float expectedRecon = (model.Reconstruct(x) - x).Square().Sum().Item() / 4;
        Assert.Equal(expectedRecon, terms.Reconstruction.Item(), 3);
        Assert.InRange(extras["usage"], 1f / 8, 1f);
        Assert.InRange(extras["perplexity"], 1f, 8f);
    }

    [Fact]
    public void One_step_changes_encoder_decoder_and_codebook_but_not_the_prior()
    {
        var model = VqTestData.Small();
        var before = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        var adam = new Adam(model.Parameters(), 1e-2f);
        model.Loss(VqTestData.Batch(VqTestData.Patterns(8), 8), Train()).Total.Backward();
        adam.Step();
        var after = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        Assert.NotEqual(before["encoder.0.weight"], after["encoder.0.weight"]);
        Assert.NotEqual(before["quantizer.codebook"], after["quantizer.codebook"]);
        Assert.Contains(after.Keys, k => k.StartsWith("decoder.", StringComparison.Ordinal) && !before[k].SequenceEqual(after[k]));
        Assert.All(after.Keys.Where(k => k.StartsWith("prior.", StringComparison.Ordinal)), k => Assert.Equal(before[k], after[k]));
    }

    [Fact]
    public void State_dict_round_trip_is_bit_identical()
    {
        var model = VqTestData.Small(ema: true, restart: 3, seed: 1);
        model.Loss(VqTestData.Batch(VqTestData.Patterns(8), 8), Train()); // moves the EMA buffers
        var copy = VqTestData.Small(ema: true, restart: 3, seed: 99);
        copy.LoadStateDict(model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.Clone()));
        Assert.Equal(TestData.Weights(model), TestData.Weights(copy));
        var x = VqTestData.Batch(VqTestData.Patterns(4, seed: 9), 4);
        Assert.Equal(model.Reconstruct(x).ToArray(), copy.Reconstruct(x).ToArray());
    }

    [Fact]
    public void Ema_codebook_is_a_buffer_updated_only_in_training()
    {
        var model = VqTestData.Small(ema: true);
        Assert.DoesNotContain(model.NamedParameters(), p => p.Name == "quantizer.codebook");
        var x = VqTestData.Batch(VqTestData.Patterns(8), 8);
        var e0 = model.Quantizer.Embeddings.ToArray();
        var terms = model.Loss(x, TrainingContext.ForEvaluation(new Rng(1)));
        Assert.Equal(0f, terms.Extras.First(e => e.Key == "codebook").Value.Item());
        Assert.Equal(e0, model.Quantizer.Embeddings.ToArray());

        var idx = model.EncodeIndices(x);
        var zE = model.Encoder.Forward(x).Permute(0, 2, 3, 1).Reshape(-1, 4).ToArray();
        model.Loss(x, Train());
        var e1 = model.Quantizer.Embeddings.ToArray();
        // A used code moves towards the mean of its assigned encoder outputs (γ = 0.99 from a unit count).
        int k = idx[0];
        var members = Enumerable.Range(0, idx.Length).Where(i => idx[i] == k).ToArray();
        for (int c = 0; c < 4; c++)
        {
            float mean = members.Average(i => zE[i * 4 + c]);
            Assert.True(Math.Abs(e1[k * 4 + c] - mean) < Math.Abs(e0[k * 4 + c] - mean) || Math.Abs(e0[k * 4 + c] - mean) < 1e-6f);
        }
        Assert.NotEqual(e0, e1);
    }

    [Fact]
    public void Dead_codes_restart_on_encoder_outputs()
    {
        var model = VqTestData.Small(restart: 1);
        var x = VqTestData.Batch(VqTestData.Patterns(4), 4);
        var idx = model.EncodeIndices(x);
        var zE = model.Encoder.Forward(x).Permute(0, 2, 3, 1).Reshape(-1, 4).ToArray();
        model.Loss(x, Train());
        var e = model.Quantizer.Embeddings.ToArray();
        var unused = Enumerable.Range(0, 8).Where(k => !idx.Contains(k)).ToArray();
        Assert.NotEmpty(unused);
        foreach (int k in unused)
            Assert.Contains(Enumerable.Range(0, idx.Length), i => Enumerable.Range(0, 4).All(c => e[k * 4 + c] == zE[i * 4 + c]));
    }

    [Fact]
    public void Training_lowers_the_loss_and_restarts_raise_codebook_usage()
    {
        var data = VqTestData.Patterns(64);
        double Run(int restart, out double usage, out double firstRecon, out double lastRecon)
        {
            var model = VqTestData.Small(restart: restart, seed: 3);
            var result = Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 12, BatchSize = 16, LearningRate = 3e-3f, Seed = 4 });
            firstRecon = result.History[0].TrainValue("reconstruction");
            lastRecon = result.History[^1].TrainValue("reconstruction");
            var terms = Latent.Models.Metrics.Evaluation.AverageLossTerms(model, data, 64);
            usage = terms.First(t => t.Key == "usage").Value;
            return terms.First(t => t.Key == "perplexity").Value;
        }
        double perplexityPlain = Run(0, out double usagePlain, out double first, out double last);
        Assert.True(last < 0.5 * first, $"reconstruction {first} -> {last}");
        double perplexityRestart = Run(2, out double usageRestart, out _, out _);
        Assert.True(usageRestart > usagePlain, $"usage with restarts {usageRestart} <= without {usagePlain}");
        Assert.True(perplexityRestart > 2, $"perplexity {perplexityRestart}");
    }

    [Fact]
    public void Sampling_needs_the_prior_then_draws_images_that_survive_save_and_load()
    {
        var model = VqTestData.Small(seed: 2);
        var data = VqTestData.Patterns(32);
        var e = Assert.Throws<InvalidOperationException>(() => model.Sample(2, new Rng(1)));
        Assert.Contains("FitPrior", e.Message);
        model.FitPrior(data, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 1 }, null, default);
        Assert.True(model.PriorTrained);
        var samples = model.Sample(3, new Rng(5));
        Assert.Equal([3, 1, 8, 8], samples.Shape);
        Assert.All(samples.ToArray(), v => Assert.True(float.IsFinite(v)));
        var copy = VqTestData.Small(seed: 8);
        copy.LoadStateDict(model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.Clone()));
        Assert.True(copy.PriorTrained);
        Assert.Equal(samples.ToArray(), copy.Sample(3, new Rng(5)).ToArray());
    }
}
