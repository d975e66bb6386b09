using Latent.Core;
using Latent.Data;
using Latent.Models.Metrics;
using PcaFit = Latent.Models.Pca.Pca;

namespace Latent.Models.Tests.Metrics;

public class LatentGaussianScoreTests
{
    /// <summary>n rows in 6 dims with standard deviations 3, 2, 1, 0.3, 0.2, 0.1 along the axes.</summary>
    private static Dataset Gaussian(int n, ulong seed)
    {
        var rng = new Rng(seed);
        double[] stds = [3, 2, 1, 0.3, 0.2, 0.1];
        var x = new float[n * 6];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 6; j++) x[i * 6 + j] = (float)(stds[j] * rng.NextNormal());
        return new Dataset("gauss", x, [6]);
    }

    /// <summary>Wraps a model and hands out its code mapped by an invertible 2×2 matrix A (Decode undoes it).</summary>
    private sealed class Mixed(IAutoencoder inner) : IAutoencoder
    {
        private static readonly float[] A = [2f, 1f, -0.5f, 3f];          // det = 6.5
        private static readonly float[] AInv = [3f / 6.5f, -1f / 6.5f, 0.5f / 6.5f, 2f / 6.5f];
        public int[] InputShape => inner.InputShape;
        public int CodeSize => 2;
        public Tensor Encode(Tensor x) => Tensor.MatMul(inner.Encode(x), new Tensor((float[])A.Clone(), 2, 2)) + 5f;
        public Tensor Decode(Tensor z) => inner.Decode(Tensor.MatMul(z - 5f, new Tensor((float[])AInv.Clone(), 2, 2)));
        public Tensor Reconstruct(Tensor x) => Decode(Encode(x));
    }

    [Fact]
    public void On_a_pca_model_it_is_the_ppca_score()
    {
        var train = Gaussian(4000, 1);
        var test = Gaussian(50, 2);
        var pca = PcaFit.Fit(train, 2);
        var score = LatentGaussianScore.Fit(pca, train);
        // σ² = variance left over per discarded dimension: the dropped eigenvalues ≈ .09 + .04 + .01 + 1 (the third
        // axis, std 1) spread over 4 dimensions.
        Assert.Equal(pca.DroppedVariance / 4, score.ResidualVariance, 4);
        var lambda = pca.ExplainedVariance.ToArray();
        Assert.Equal(lambda[0], score.CodeVariances[0], 2);
        Assert.Equal(lambda[1], score.CodeVariances[1], 2);
        var y = pca.Encode(new Tensor((float[])test.X.Clone(), 50, 6)).ToArray();
        var residual = Evaluation.SquaredErrorPerSample(pca, test);
        var s = score.Score(test);
        for (int i = 0; i < 50; i++)
        {
            double expected = y[2 * i] * y[2 * i] / lambda[0] + y[2 * i + 1] * y[2 * i + 1] / lambda[1] + residual[i] / score.ResidualVariance;
            Assert.Equal(expected, s[i], 3);
        }
    }

    [Fact]
    public void An_invertible_map_of_the_code_changes_nothing()
    {
        var train = Gaussian(3000, 3);
        var test = Gaussian(40, 4);
        var pca = PcaFit.Fit(train, 2);
        var plain = LatentGaussianScore.Fit(pca, train).Score(test);
        var mixed = LatentGaussianScore.Fit(new Mixed(pca), train).Score(test);
        for (int i = 0; i < plain.Length; i++) Assert.Equal(plain[i], mixed[i], 2);
    }

    [Fact]
    public void A_row_far_out_along_a_learned_direction_scores_high_though_its_reconstruction_is_exact()
    {
        var train = Gaussian(3000, 5);
        var pca = PcaFit.Fit(train, 2);
        var rows = new Dataset("rows", [0f, 0f, 0f, 0f, 0f, 0f, 15f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0.6f, 0f, 0f], [6]);
        var error = Evaluation.SquaredErrorPerSample(pca, rows);
        var s = LatentGaussianScore.Fit(pca, train).Score(rows);
        // Row 1 lies 5 standard deviations out along the first axis: reconstructed almost exactly (the fitted axis is a
        // little off the true one, so the plain error is small but not 0), yet the code term gives ≈ 25. Row 2 is 2
        // standard deviations out along a dropped axis (plain error 0.36). Plain reconstruction error ranks row 2 above
        // row 1; the score ranks them the other way round, and both above the centre.
        Assert.True(error[1] < error[2], $"plain errors {error[1]} vs {error[2]}");
        Assert.InRange(s[1], 20f, 30f);
        Assert.True(s[0] < 1f, $"centre scores {s[0]}");
        Assert.True(s[2] > 1f && s[2] < s[1], $"off-subspace row scores {s[2]}");
    }

    [Fact]
    public void Bad_input_names_the_argument()
    {
        var train = Gaussian(100, 6);
        var pca = PcaFit.Fit(train, 2);
        var e = Assert.Throws<ArgumentException>(() => LatentGaussianScore.Fit(pca, new Dataset("wide", new float[14], [7])));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("'wide' has samples [7], the model expects [6]", e.Message);
        Assert.Throws<ArgumentException>(() => LatentGaussianScore.Fit(pca, new Dataset("one", new float[6], [6])));
        Assert.Equal("batchSize", Assert.Throws<ArgumentException>(() => LatentGaussianScore.Fit(pca, train, batchSize: 0)).ParamName);
        Assert.Throws<ArgumentException>(() => LatentGaussianScore.Fit(pca, train).Score(new Dataset("empty", [], [6])));
    }
}
