using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Metrics;
using Latent.Models.Sparse;
using Latent.Models.Tests.Autoencoder;

namespace Latent.Models.Tests.Sparse;

public class KSparseAutoencoderTests
{
    private static KSparseAutoencoder Model(ulong seed = 1, int k = 3, int kStart = 10, double anneal = 0.5, float alpha = 1f, string arch = "16-12") =>
        new(new KSparseOptions
        {
            Network = new AutoencoderOptions { Architecture = arch, Output = OutputDistribution.Gaussian },
            K = k, KStart = kStart, AnnealFraction = anneal, Alpha = alpha,
        }, [1, 4, 4], new Rng(seed));

    [Fact]
    public void Defaults_are_the_papers_and_parse_back()
    {
        var o = new KSparseOptions();
        Assert.Equal((25, 100, 0.5, 1000, "none"), (o.K, o.KStart, o.AnnealFraction, o.Network.LayerSizes()[^1], o.Network.CodeActivation));
        ModelChecks.RegistryRoundTrip("k-sparse-ae", new() { ["arch"] = "16-8", ["k"] = "2", ["k_start"] = "6", ["alpha"] = "2" }, [1, 4, 4]);
        Assert.Equal("K", Assert.Throws<ArgumentException>(() => KSparseOptions.Schema.Parse(new Dictionary<string, string> { ["arch"] = "16-8", ["k"] = "9" })).ParamName);
        Assert.Equal("Alpha", Assert.Throws<ArgumentException>(() => KSparseOptions.Schema.Parse(new Dictionary<string, string> { ["alpha"] = "0.5" })).ParamName);
        Assert.Equal(200, KSparseOptions.Schema.Parse(new Dictionary<string, string> { ["k"] = "200" }).KStart);
    }

    [Fact]
    public void Keep_top_k_keeps_exactly_k_and_backpropagates_only_through_them()
    {
        var h = Tensor.FromArray([0.5f, -2f, 3f, 1f, 0.1f, 4f, -1f, 2f], 2, 4);
        h.RequiresGrad = true;
        var z = KSparseAutoencoder.KeepTopK(h, 2);
        Assert.Equal([0f, 0f, 3f, 1f, 0f, 4f, 0f, 2f], z.ToArray());
        (z * Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 4)).Sum().Backward();
        Assert.Equal([0f, 0f, 3f, 4f, 0f, 6f, 0f, 8f], h.Grad!.ToArray());
        Assert.Same(h, KSparseAutoencoder.KeepTopK(h, 4));
    }

    [Fact]
    public void Schedule_anneals_k_over_the_first_half_and_encode_uses_alpha_k()
    {
        var model = Model(k: 3, kStart: 11, anneal: 0.5);
        Assert.Equal(11, model.SparsityAt(0));
        Assert.Equal(7, model.SparsityAt(0.25));
        Assert.Equal(3, model.SparsityAt(0.5));
        Assert.Equal(3, model.SparsityAt(1));
        Assert.Equal(12 - 0, Model(kStart: 100).SparsityAt(0)); // capped at the code size
        Assert.Equal(3, Model(anneal: 0).SparsityAt(0));
        var x = TestData.LowRankImages(5).Batch([0, 1, 2, 3, 4]);
        ModelChecks.ShapesAndFiniteLoss(model, x);
        Assert.All(Rows(model.Encode(x)), r => Assert.Equal(3, r));
        var wide = Model(alpha: 2f);
        Assert.Equal(6, wide.EncodeK);
        Assert.All(Rows(wide.Encode(x)), r => Assert.Equal(6, r));
        // Reconstruct decodes the k-sparse code the decoder was trained on, not the αk one.
        Assert.Equal(wide.Decode(KSparseAutoencoder.KeepTopK(wide.Encoder.Forward(x), 3)).ToArray(), wide.Reconstruct(x).ToArray());
        // Training early uses k_start units; evaluation uses k.
        var early = model.Loss(x, new TrainingContext(new Rng(1), progress: 0)).Total.Item();
        var evaluation = model.Loss(x, TrainingContext.ForEvaluation(new Rng(1))).Total.Item();
        Assert.NotEqual(early, evaluation);
    }

    [Fact]
    public void One_step_checkpoint_and_loss_falls()
    {
        var data = TestData.LowRankImages(128);
        ModelChecks.OneStepChangesEveryParameter(Model(k: 12, kStart: 12, arch: "16-8-12"), data.Batch([0, 1, 2, 3, 4, 5, 6, 7]));
        ModelChecks.CheckpointLoadsBitIdentically(s => Model(seed: s), data);
        ModelChecks.LossFalls(Model(seed: 5), data, epochs: 12);
    }

    [Fact]
    public void Trained_codes_have_exactly_k_non_zeros()
    {
        var data = TestData.LowRankImages(256);
        var model = ModelChecks.Fit(Model(seed: 2, k: 3, kStart: 12), data, epochs: 10);
        Assert.All(ClaimMetrics.NonZeroCounts(model, data), c => Assert.Equal(3, c));
    }

    private static int[] Rows(Tensor z)
    {
        int b = z.Shape[0], n = z.Shape[1];
        var s = z.ToArray();
        return Enumerable.Range(0, b).Select(i => s.Skip(i * n).Take(n).Count(v => v != 0f)).ToArray();
    }
}
