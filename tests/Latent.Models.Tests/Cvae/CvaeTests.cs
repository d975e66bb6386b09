using Latent.Core;
using Latent.Data;
using Latent.Models.Cvae;
using Latent.Models.Metrics;
using Latent.Models.Tests.Autoencoder;
using Latent.Models.Training;
using CvaeModel = Latent.Models.Cvae.Cvae;

namespace Latent.Models.Tests.Cvae;

public class CvaeTests
{
    private static readonly int[] Shape = [1, 4, 4];

    /// <summary>
    /// n images [1,4,4] of 3 classes: class 0 lights the left half, class 1 the right half, class 2 the top half,
    /// each with a random brightness (the within-class factor the code has to carry) and a little noise.
    /// </summary>
    public static Dataset Halves(int n, ulong seed = 11)
    {
        var rng = new Rng(seed);
        var x = new float[n * 16];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int y = labels[i] = rng.NextInt(3);
            float level = 0.5f + 0.4f * rng.NextFloat();
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++)
                {
                    bool on = y switch { 0 => c < 2, 1 => c >= 2, _ => r < 2 };
                    x[i * 16 + r * 4 + c] = Math.Clamp((on ? level : 0.05f) + 0.02f * rng.NextNormal(), 0f, 1f);
                }
        }
        return new Dataset("halves", x, Shape, labels);
    }

    private static CvaeModel Small(ulong seed = 1) =>
        new(new CvaeOptions { Architecture = "16-12-2", Classes = 3 }, Shape, new Rng(seed));

    private static (Tensor X, int[] Labels) Batch(Dataset d, int n) =>
        (d.Batch(Enumerable.Range(0, n).ToArray()), d.Labels!.Take(n).ToArray());

    [Fact]
    public void Model_checks()
    {
        var data = Halves(96);
        var model = ModelChecks.RegistryRoundTrip("cvae", new() { ["arch"] = "16-8-2", ["classes"] = "3" }, Shape);
        Assert.Equal(2 + 3, model.CodeSize);
        var (x, y) = Batch(data, 6);
        var terms = ModelChecks.ShapesAndFiniteLoss(model, x, y);
        var values = terms.Values().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(values["neg_elbo"], values["reconstruction"] + values["kl"], 3);
        var (x8, y8) = Batch(data, 8);
        ModelChecks.OneStepChangesEveryParameter(Small(), x8, y8);
        ModelChecks.CheckpointLoadsBitIdentically(seed => Small(seed), Halves(32));
        ModelChecks.LossFalls(Small(5), data, epochs: 12, ratio: 0.9);
    }

    [Fact]
    public void The_label_enters_both_networks_as_a_one_hot_vector()
    {
        var model = Small();
        Assert.Equal(16 + 3, ((NN.Layers.Linear)((NN.Layers.Sequential)model.Encoder).Layers[1]).InFeatures);
        Assert.Equal(2 + 3, ((NN.Layers.Linear)((NN.Layers.Sequential)model.Decoder).Layers[0]).InFeatures);
        Assert.Equal([0f, 0f, 1f, 0f, 1f, 0f], model.OneHot([2, 1]).ToArray());
        // Same x and z, different labels: different reconstructions and different codes.
        var (x, _) = Batch(Halves(4), 2);
        Assert.NotEqual(model.Encode(x, [0, 0]).ToArray(), model.Encode(x, [1, 1]).ToArray());
        var z = new Rng(3).Normal([2, 2]);
        Assert.NotEqual(model.Decode(z, [0, 0]).ToArray(), model.Decode(z, [2, 2]).ToArray());
        // The generic code is [μ, e_y]: decoding it is the conditional decoder.
        var code = model.Encode(x, [1, 2]);
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f], code.Narrow(1, 2, 3).ToArray());
        Assert.Equal(model.Decode(code.Narrow(1, 0, 2), [1, 2]).ToArray(), model.Decode(code).ToArray());
        // Without labels the label input is uniform.
        Assert.All(model.Encode(x).Narrow(1, 2, 3).ToArray(), v => Assert.Equal(1f / 3, v, 6));
    }

    /// <summary>The property of the model: samples drawn for class y look like class y (Sohn et al. 2015, Fig. 3).</summary>
    [Fact]
    public void Samples_of_a_class_look_like_that_class() => AssertSamplesLookLikeTheirClass(ModelChecks.Fit(Small(4), Halves(300), epochs: 25));

    [Fact]
    public void A_conv_network_reads_the_label_as_extra_channels()
    {
        CvaeModel Conv(ulong seed) => new(new CvaeOptions { Architecture = "16-12-2", Classes = 3, Network = "conv" }, Shape, new Rng(seed));
        var model = Conv(1);
        Assert.True(model.Convolutional);
        Assert.False(Small().Convolutional);
        Assert.Equal(1 + 3, ((NN.Layers.ConvLayer2d)((NN.Layers.Sequential)model.Encoder).Layers[0]).InChannels);
        Assert.Equal(2 + 3, ((NN.Layers.Sequential)model.Decoder).Layers.OfType<NN.Layers.Linear>().First().InFeatures);
        var data = Halves(96);
        var (x, y) = Batch(data, 8);
        ModelChecks.ShapesAndFiniteLoss(model, x, y);
        ModelChecks.OneStepChangesEveryParameter(Conv(2), x, y);
        ModelChecks.CheckpointLoadsBitIdentically(Conv, Halves(32));
        Assert.NotEqual(model.Encode(x, [0, 0, 0, 0, 0, 0, 0, 0]).ToArray(), model.Encode(x, [1, 1, 1, 1, 1, 1, 1, 1]).ToArray());
        AssertSamplesLookLikeTheirClass(ModelChecks.Fit(Conv(4), Halves(300), epochs: 25));
    }

    private static void AssertSamplesLookLikeTheirClass(CvaeModel model)
    {
        model.Eval();
        for (int y = 0; y < 3; y++)
        {
            var s = model.Sample(40, new Rng(9), Enumerable.Repeat(y, 40).ToArray()).ToArray();
            double left = 0, right = 0, top = 0, bottom = 0;
            for (int b = 0; b < 40; b++)
                for (int r = 0; r < 4; r++)
                    for (int c = 0; c < 4; c++)
                    {
                        float v = s[b * 16 + r * 4 + c];
                        if (c < 2) left += v; else right += v;
                        if (r < 2) top += v; else bottom += v;
                    }
            var (bright, dark) = y switch { 0 => (left, right), 1 => (right, left), _ => (top, bottom) };
            Assert.True(bright > 2 * dark, $"class {y}: lit half {bright:F1} vs dark half {dark:F1}");
        }
    }

    [Fact]
    public void Data_without_labels_and_labels_out_of_range_are_one_line_errors()
    {
        var model = Small();
        var (x, _) = Batch(Halves(4), 4);
        var unlabelled = TestData.LowRankImages(16);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, unlabelled, null, new TrainingOptions { Epochs = 1, BatchSize = 8 }));
        Assert.StartsWith("cvae: the data has no class labels", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var range = Assert.Throws<ArgumentException>(() => model.Loss(x, new TrainingContext(new Rng(1)) { Labels = [0, 1, 3, 0] }));
        Assert.StartsWith("cvae.Loss: label 3 is outside [0, 3)", range.Message);
        Assert.StartsWith("cvae.Sample: label -1 is outside [0, 3)", Assert.Throws<ArgumentException>(() => model.Sample(1, new Rng(1), [-1])).Message);
        Assert.StartsWith("cvae.Loss: 2 labels for a batch of 4", Assert.Throws<ArgumentException>(() => model.Loss(x, new TrainingContext(new Rng(1)) { Labels = [0, 1] })).Message);
        var conv = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("cvae", new Dictionary<string, string> { ["network"] = "conv", ["arch"] = "16-2", ["classes"] = "3" }, [16], new Rng(1)));
        Assert.Contains("needs image samples [C,H,W]", conv.Message);
    }

    [Fact]
    public void Validation_and_evaluation_pass_the_labels()
    {
        var data = Halves(40);
        var model = Small();
        var result = Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 1, BatchSize = 8, ValidationFraction = 0.25 });
        Assert.True(double.IsFinite(result.History[0].ValidationValue("total")));
        var terms = Evaluation.AverageLossTerms(model, data, 16);
        Assert.True(double.IsFinite(terms.First(t => t.Key == "total").Value));
    }
}
