using Latent.Core;
using Latent.Models.Tests.VqVae;
using Latent.Models.Training;
using Latent.Models.VqVae2;
using Latent.NN.Optim;
using Vq2 = Latent.Models.VqVae2.VqVae2;

namespace Latent.Models.Tests.VqVae2;

public class VqVae2Tests
{
    private static VqVae2Options SmallOptions(bool ema = true) => new()
    {
        TopCodebookSize = 4, BottomCodebookSize = 8, EmbeddingDim = 4, Hidden = 8, ResidualHidden = 4, ResidualBlocks = 1, Ema = ema,
        PriorLayers = 2, PriorChannels = 8,
    };

    private static Vq2 Small(bool ema = true, ulong seed = 1, int size = 8) => new(SmallOptions(ema), [1, size, size], new Rng(seed));

    [Fact]
    public void Levels_are_quarter_and_eighth_resolution()
    {
        var m28 = Small(size: 28);
        Assert.Equal((7, 7, 4, 4), (m28.BottomHeight, m28.BottomWidth, m28.TopHeight, m28.TopWidth));
        Assert.Equal(4 * (49 + 16), m28.CodeSize);
        Assert.Equal(49 * 3 + 16 * 2, m28.BitsPerImage, 6);
        var x = new Rng(1).Uniform([2, 1, 28, 28]);
        Assert.Equal([2, 1, 28, 28], m28.Reconstruct(x).Shape);
        var m32 = new Vq2(SmallOptions(), [1, 32, 32], new Rng(1));
        Assert.Equal((8, 8, 4, 4), (m32.BottomHeight, m32.BottomWidth, m32.TopHeight, m32.TopWidth));
        Assert.Equal([1, 1, 32, 32], m32.Reconstruct(new Rng(2).Uniform([1, 1, 32, 32])).Shape);
        Assert.Contains("vq-vae-2", ModelRegistry.All.Select(m => m.Name));
        Assert.Equal("BottomCodebookSize", Assert.Throws<ArgumentException>(() => VqVae2Options.Schema.Parse(new Dictionary<string, string> { ["k_bottom"] = "-1" })).ParamName);
    }

    [Fact]
    public void Top_prior_has_self_attention_by_default_and_the_bottom_prior_has_none()
    {
        var model = Small();
        Assert.Equal(2, model.TopPrior.Attention.Count);
        Assert.Equal(4, model.TopPrior.AttentionHeads);
        Assert.Empty(model.BottomPrior.Attention);
        Assert.Contains(model.NamedParameters(), p => p.Name.StartsWith("prior_top.attention", StringComparison.Ordinal));
        var off = new Vq2(SmallOptions() with { PriorAttention = false }, [1, 8, 8], new Rng(1));
        Assert.Empty(off.TopPrior.Attention);
        var parsed = VqVae2Options.Schema.Parse(new Dictionary<string, string> { ["prior_attention"] = "false", ["prior_heads"] = "2" });
        Assert.False(parsed.PriorAttention);
        Assert.Equal(2, parsed.PriorHeads);
        Assert.Contains("prior_attention=false prior_heads=2", parsed.ToText(), StringComparison.Ordinal);
        Assert.Equal("PriorHeads", Assert.Throws<ArgumentException>(() => VqVae2Options.Schema.Parse(new Dictionary<string, string> { ["prior_heads"] = "5" })).ParamName);
    }

    [Fact]
    public void Encode_decode_and_indices_agree_and_loss_has_both_levels()
    {
        var model = Small(ema: false);
        var x = VqTestData.Batch(VqTestData.Patterns(3), 3);
        var (top, bottom) = model.EncodeIndices(x);
        Assert.Equal(3 * 1, top.Length);
        Assert.Equal(3 * 4, bottom.Length);
        var z = model.Encode(x);
        Assert.Equal([3, model.CodeSize], z.Shape);
        Assert.Equal(model.DecodeIndices(top, bottom, 3).ToArray(), model.Decode(z).ToArray());
        var terms = model.Loss(x, TrainingContext.ForEvaluation(new Rng(1)));
        var names = terms.Extras.Select(e => e.Key).ToList();
        Assert.Equal(["codebook", "commitment", "usage_top", "perplexity_top", "usage_bottom", "perplexity_bottom"], names);
        var extras = terms.Extras.ToDictionary(e => e.Key, e => e.Value.Item());
        Assert.Equal(terms.Reconstruction.Item() + extras["codebook"] + 0.25f * extras["commitment"], terms.Total.Item(), 3);
    }

    [Fact]
    public void One_step_changes_both_levels_and_state_round_trips()
    {
        var model = Small(ema: false);
        var before = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        var adam = new Adam(model.Parameters(), 1e-2f);
        model.Loss(VqTestData.Batch(VqTestData.Patterns(8), 8), new TrainingContext(new Rng(1))).Total.Backward();
        adam.Step();
        var after = model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        foreach (var key in new[] { "encoder_top.0.weight", "encoder_bottom.0.weight", "quantizer_top.codebook", "quantizer_bottom.codebook", "upsample_top.weight" })
            Assert.NotEqual(before[key], after[key]);
        var copy = Small(ema: false, seed: 5);
        copy.LoadStateDict(model.StateDict().ToDictionary(p => p.Name, p => p.Tensor.Clone()));
        Assert.Equal(TestData.Weights(model), TestData.Weights(copy));
    }

    [Fact]
    public void Training_lowers_the_loss_and_the_priors_sample_top_then_bottom()
    {
        var data = VqTestData.Patterns(48);
        var model = Small(seed: 2);
        var result = Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 20, BatchSize = 16, LearningRate = 3e-3f, Seed = 3 });
        double first = result.History[0].TrainValue("reconstruction"), last = result.History[^1].TrainValue("reconstruction");
        Assert.True(last < 0.75 * first, $"reconstruction {first} -> {last}");
        Assert.Throws<InvalidOperationException>(() => model.Sample(2, new Rng(1)));
        model.FitPrior(data, new TrainingOptions { Epochs = 1, BatchSize = 16 }, null, default);
        Assert.True(model.PriorTrained && model.TopPrior.IsTrained && model.BottomPrior.IsTrained);
        var samples = model.Sample(2, new Rng(4));
        Assert.Equal([2, 1, 8, 8], samples.Shape);
        Assert.All(samples.ToArray(), v => Assert.True(float.IsFinite(v)));
    }
}
