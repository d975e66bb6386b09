using Latent.Core;
using Latent.Models.PixelCnn;
using Latent.Models.Training;

namespace Latent.Models.Tests.PixelCnn;

public class GatedPixelCnnTests
{
    private static GatedPixelCnn Small(int classes = 0, int condition = 0, int layers = 3, ulong seed = 1, int heads = 0) =>
        new(codebookSize: 5, channels: 8, layers: layers, kernel: 3, classes: classes, conditionChannels: condition, new Rng(seed), heads);

    private static int[] RandomCodes(int n, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextInt(5)).ToArray();
    }

    [Fact]
    public void Logits_have_one_softmax_per_position()
    {
        var prior = Small();
        var logits = prior.Logits(RandomCodes(2 * 4 * 3, 1), 2, 4, 3);
        Assert.Equal([2, 5, 4, 3], logits.Shape);
        Assert.True(float.IsFinite(prior.Loss(RandomCodes(24, 1), 2, 4, 3).Item()));
        Assert.Equal("codes", Assert.Throws<ArgumentException>(() => prior.Logits(new int[5], 2, 4, 3)).ParamName);
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(3, 2)]
    [InlineData(1, 4)]
    public void Each_position_depends_on_every_earlier_position_and_on_nothing_later(int layers, int heads)
    {
        // Causality (masks A and B, and the attention's causal mask) and no blind spot (vertical + horizontal stacks, or
        // with attention, also through its blocks): perturb one code at a time.
        const int h = 4, w = 4;
        var prior = Small(layers: layers, heads: heads);
        Assert.Equal(heads == 0 ? 0 : Math.Min(layers, 2), prior.Attention.Count);
        var codes = RandomCodes(h * w, 2);
        var baseLogits = prior.Logits(codes, 1, h, w).ToArray();
        for (int p = 0; p < h * w; p++)
        {
            var changed = (int[])codes.Clone();
            changed[p] = (changed[p] + 1) % 5;
            var logits = prior.Logits(changed, 1, h, w).ToArray();
            for (int q = 0; q < h * w; q++)
            {
                bool same = Enumerable.Range(0, 5).All(k => logits[k * h * w + q] == baseLogits[k * h * w + q]);
                if (q <= p) Assert.True(same, $"position {q} depends on later/own position {p}");
                else Assert.False(same, $"position {q} is blind to earlier position {p}");
            }
        }
    }

    [Fact]
    public void Attention_blocks_follow_the_middle_and_the_last_layer_and_heads_must_divide_channels()
    {
        var prior = Small(layers: 8, heads: 2);
        Assert.Equal([3, 7], prior.Attention.Keys.Order());
        Assert.Contains(prior.NamedParameters(), p => p.Name == "attention3.qkv.weight");
        Assert.Equal("attentionHeads", Assert.Throws<ArgumentException>(() => Small(heads: 3)).ParamName);
        Assert.Equal("attentionHeads", Assert.Throws<ArgumentException>(() => Small(heads: -1)).ParamName);
    }

    [Fact]
    public void Conditioning_enters_through_class_bias_and_spatial_map()
    {
        var prior = Small(classes: 3, condition: 2);
        new Rng(4).Normal([3, 16]).Span.CopyTo(prior.Layers[0].ClassBias!.Span);
        var codes = RandomCodes(2 * 9, 3);
        var cond = new Rng(5).Normal([2, 2, 3, 3]);
        var a = prior.Logits(codes, 2, 3, 3, [0, 1], cond).ToArray();
        var b = prior.Logits(codes, 2, 3, 3, [2, 1], cond).ToArray();
        Assert.NotEqual(a.Take(45), b.Take(45));
        Assert.Equal(a.Skip(45), b.Skip(45));
        var c = prior.Logits(codes, 2, 3, 3, [0, 1], cond * 2f).ToArray();
        Assert.NotEqual(a, c);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => prior.Logits(codes, 2, 3, 3, null, cond)).ParamName);
        Assert.Equal("condition", Assert.Throws<ArgumentException>(() => prior.Logits(codes, 2, 3, 3, [0, 1], null)).ParamName);
    }

    [Fact]
    public void Fitting_one_repeated_map_makes_it_the_low_temperature_sample()
    {
        // A 3×3 map with a fixed pattern: the NLL falls far below log K and sampling reproduces the pattern.
        int[] pattern = [0, 1, 2, 3, 4, 0, 1, 2, 3];
        const int n = 32;
        var codes = Enumerable.Range(0, n).SelectMany(_ => pattern).ToArray();
        var prior = Small(seed: 3);
        var history = PriorFitting.Fit(prior, codes, n, 3, 3, null, null, new TrainingOptions { Epochs = 60, BatchSize = 16, LearningRate = 1e-2f, Seed = 1 }, null, default);
        Assert.True(history[0] > history[^1]);
        Assert.True(history[^1] < 0.02 * Math.Log(5), $"final NLL {history[^1]}");
        Assert.True(prior.IsTrained);
        var samples = prior.Sample(4, 3, 3, new Rng(7), temperature: 0.2f);
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(_ => pattern), samples);
        Assert.Equal(samples, prior.Sample(4, 3, 3, new Rng(7), temperature: 0.2f));
    }
}
