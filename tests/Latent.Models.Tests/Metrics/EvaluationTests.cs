using Latent.Core;
using Latent.Data;
using Latent.Models.Metrics;

namespace Latent.Models.Tests.Metrics;

public class EvaluationTests
{
    /// <summary>Reconstructs every sample as a constant.</summary>
    private sealed class Constant(float value) : IAutoencoder
    {
        public int[] InputShape => [2];
        public int CodeSize => 1;
        public Tensor Encode(Tensor x) => Tensor.Zeros(x.Shape[0], 1);
        public Tensor Decode(Tensor z) => Tensor.Full(value, z.Shape[0], 2);
        public Tensor Reconstruct(Tensor x) => Decode(Encode(x));
    }

    [Fact]
    public void Reconstruction_scores_match_hand_computed_values()
    {
        var data = new Dataset("d", [0f, 1f, 1f, 1f, 0.5f, 0f], [2]);
        var s = Evaluation.Reconstruction(new Constant(0.5f), data, batchSize: 2);
        // squared errors: .25 .25 | .25 .25 | 0 .25 → per image .5, .5, .25
        Assert.Equal((0.5 + 0.5 + 0.25) / 3, s.SsePerImage, 6);
        Assert.Equal(1.25 / 6, s.Mse, 6);
        Assert.Equal(Math.Log(2), s.Bce, 6); // every term is −log(½) for p = ½, whatever x is
        Assert.Equal(3, s.Count);
        Assert.Equal([0.5f, 0.5f, 0.25f], Evaluation.SquaredErrorPerSample(new Constant(0.5f), data, batchSize: 2));
    }

    [Fact]
    public void Average_loss_terms_weight_uneven_batches_by_size()
    {
        var model = TestData.SmallAe();
        var data = TestData.LowRankImages(5);
        var batched = Evaluation.AverageLossTerms(model, data, batchSize: 2);
        var whole = model.Loss(data.Batch([0, 1, 2, 3, 4]), TrainingContext.ForEvaluation(new Rng(1))).Values();
        Assert.Equal(whole.Select(kv => kv.Key), batched.Select(kv => kv.Key));
        Assert.Equal(whole[0].Value, batched[0].Value, 4);
        Assert.True(model.Training); // evaluation restores the mode
    }

    [Fact]
    public void Shape_mismatch_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Evaluation.Reconstruction(TestData.SmallAe(), new Dataset("flat", new float[32], [16])));
        Assert.Contains("[16]", e.Message);
        Assert.Equal("batchSize", Assert.Throws<ArgumentException>(() => Evaluation.Reconstruction(TestData.SmallAe(), TestData.LowRankImages(2), 0)).ParamName);
    }
}
