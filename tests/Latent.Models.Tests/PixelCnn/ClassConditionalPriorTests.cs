using Latent.Core;
using Latent.Models.PixelCnn;
using Latent.Models.Tests.VqVae;
using Latent.Models.Training;
using Latent.Models.VqVae;
using VqModel = Latent.Models.VqVae.VqVae;

namespace Latent.Models.Tests.PixelCnn;

/// <summary>The class-conditional gated PixelCNN (van den Oord et al. 2016, Eq. 4: a per-class bias in every gated layer) and the VQ-VAE that samples through it.</summary>
public class ClassConditionalPriorTests
{
    /// <summary>
    /// Code maps whose statistics depend only on the class: class y fills a 3×3 map with code y except for a few random
    /// codes. Only the class bias can tell the first position's code; the fitted prior must sample class y's code.
    /// </summary>
    [Fact]
    public void A_class_conditional_prior_samples_the_codes_of_the_requested_class()
    {
        const int n = 120, h = 3, w = 3, k = 4;
        var rng = new Rng(1);
        var labels = new int[n];
        var codes = new int[n * h * w];
        for (int i = 0; i < n; i++)
        {
            labels[i] = rng.NextInt(3);
            for (int p = 0; p < h * w; p++) codes[i * h * w + p] = rng.NextFloat() < 0.1f ? 3 : labels[i];
        }
        var prior = new GatedPixelCnn(k, channels: 8, layers: 2, kernel: 3, classes: 3, conditionChannels: 0, new Rng(2));
        var biasBefore = prior.Layers[0].ClassBias!.ToArray();
        var losses = PriorFitting.Fit(prior, codes, n, h, w, labels, null,
            new TrainingOptions { Epochs = 20, BatchSize = 20, LearningRate = 1e-2f, Seed = 3, CheckpointEvery = 0 }, null, default);
        Assert.True(losses[^1] < 0.5 * losses[0], $"prior NLL {losses[0]} -> {losses[^1]}");
        Assert.NotEqual(biasBefore, prior.Layers[0].ClassBias!.ToArray());
        for (int y = 0; y < 3; y++)
        {
            var drawn = prior.Sample(10, h, w, new Rng(4), Enumerable.Repeat(y, 10).ToArray());
            double share = drawn.Count(c => c == y) / (double)drawn.Length;
            Assert.True(share > 0.7, $"class {y}: {share:P0} of the sampled codes are {y}");
        }
        Assert.Contains("label 3 outside [0, 3)", Assert.Throws<ArgumentException>(() => prior.Sample(1, h, w, new Rng(1), [3])).Message);
        Assert.Contains("needs 2 labels", Assert.Throws<ArgumentException>(() => prior.Logits(new int[18], 2, h, w)).Message);
    }

    [Fact]
    public void Vq_vae_with_prior_classes_fits_on_labels_and_samples_a_chosen_class()
    {
        var data = VqTestData.Patterns(48);
        var model = new VqModel(VqTestData.SmallOptions() with { PriorClasses = 4 }, [1, 8, 8], new Rng(2));
        IConditionalGenerativeModel conditional = model;
        Assert.Equal(4, conditional.Classes);
        Assert.Equal(0, VqTestData.Small().Classes);
        var unlabelled = new Latent.Data.Dataset("nolabels", data.X, data.SampleShape);
        var e = Assert.Throws<ArgumentException>(() => model.FitPrior(unlabelled, new TrainingOptions { Epochs = 1 }, null, default));
        Assert.Contains("needs labels", e.Message);
        model.FitPrior(data, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 1, CheckpointEvery = 0 }, null, default);
        var samples = conditional.Sample(4, new Rng(5), [0, 1, 2, 3]);
        Assert.Equal([4, 1, 8, 8], samples.Shape);
        Assert.All(samples.ToArray(), v => Assert.True(float.IsFinite(v)));
        // The fitted class biases make the prior's predictions depend on the class.
        var maps = model.IndexMaps(data).Take(2 * 4).ToArray();
        Assert.NotEqual(model.Prior.Logits(maps, 2, 2, 2, [0, 1]).ToArray(), model.Prior.Logits(maps, 2, 2, 2, [2, 3]).ToArray());
        Assert.Throws<ArgumentException>(() => conditional.Sample(1, new Rng(5), [4]));
        Assert.IsType<VqVaeOptions>(model.Options);
    }
}
