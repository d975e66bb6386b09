using Latent.Core;
using Latent.Core.IO;
using Latent.Models.Sampling;

namespace Latent.Models.Tests.Sampling;

public class GaussianMixtureTests
{
    /// <summary>600 codes in 2-D: 2/3 around (−4, 0) with correlated noise, 1/3 around (5, 3).</summary>
    private static Tensor TwoClusters(ulong seed)
    {
        var rng = new Rng(seed);
        var v = new float[600 * 2];
        for (int i = 0; i < 600; i++)
        {
            float a = rng.NextNormal(), b = rng.NextNormal();
            if (i % 3 != 2) { v[2 * i] = -4 + a; v[2 * i + 1] = 0.8f * a + 0.6f * b; }
            else { v[2 * i] = 5 + 0.5f * a; v[2 * i + 1] = 3 + 0.5f * b; }
        }
        return new Tensor(v, [600, 2]);
    }

    [Fact]
    public void Em_recovers_two_clusters_their_weights_and_correlation()
    {
        var gmm = GaussianMixture.Fit(TwoClusters(1), 2, CovarianceKind.Full, seed: 7);
        int big = gmm.Means[0][0] < 0 ? 0 : 1, small = 1 - big;
        Assert.Equal(2 / 3.0, gmm.Weights[big], 2);
        Assert.Equal(-4, gmm.Means[big][0], 0.2);
        Assert.Equal(5, gmm.Means[small][0], 0.2);
        Assert.Equal(3, gmm.Means[small][1], 0.2);
        // Cov(x, y) = 0.8 in the big cluster, and a diagonal fit cannot express it.
        Assert.Equal(0.8, gmm.Covariances[big][1], 0.15);
        var diag = GaussianMixture.Fit(TwoClusters(1), 2, CovarianceKind.Diagonal, seed: 7);
        Assert.True(gmm.MeanLogLikelihood(TwoClusters(2)) > diag.MeanLogLikelihood(TwoClusters(2)) + 0.1);
    }

    [Fact]
    public void More_components_fit_two_clusters_better_than_one()
    {
        var one = GaussianMixture.Fit(TwoClusters(1), 1, CovarianceKind.Full, seed: 1);
        var two = GaussianMixture.Fit(TwoClusters(1), 2, CovarianceKind.Full, seed: 1);
        Assert.True(two.MeanLogLikelihood(TwoClusters(3)) > one.MeanLogLikelihood(TwoClusters(3)) + 0.5);
    }

    [Fact]
    public void Samples_follow_the_mixture_and_are_seeded()
    {
        var gmm = GaussianMixture.Fit(TwoClusters(1), 2, CovarianceKind.Full, seed: 7);
        var s = gmm.Sample(3000, new Rng(11));
        Assert.Equal([3000, 2], s.Shape);
        double right = Enumerable.Range(0, 3000).Count(i => s.Span[2 * i] > 0.5) / 3000.0;
        Assert.Equal(1 / 3.0, right, 1);
        Assert.Equal(s.ToArray(), gmm.Sample(3000, new Rng(11)).ToArray());
        Assert.Equal(GaussianMixture.Fit(TwoClusters(1), 2, CovarianceKind.Full, seed: 7).Means[0], gmm.Means[0]);
    }

    [Fact]
    public void Save_and_load_round_trip_exactly()
    {
        var gmm = GaussianMixture.Fit(TwoClusters(1), 3, CovarianceKind.Full, seed: 2);
        string path = Path.Combine(Path.GetTempPath(), $"gmm-{Guid.NewGuid():N}.json");
        gmm.Save(path);
        var back = GaussianMixture.Load(path);
        Assert.Equal(gmm.Weights, back.Weights);
        Assert.Equal(gmm.Means, back.Means);
        Assert.Equal(gmm.Covariances, back.Covariances);
        Assert.Equal(gmm.Sample(10, new Rng(1)).ToArray(), back.Sample(10, new Rng(1)).ToArray());
        File.Delete(path);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"version\":1,\"kind\":\"full\",\"weights\":[0.5,0.5],\"means\":[[0,0]],\"covariances\":[[1,0,0,1]]}")]
    [InlineData("{\"version\":1,\"kind\":\"full\",\"weights\":[1],\"means\":[[0,0]],\"covariances\":[[1,2,2,1]]}")]
    public void Bad_files_are_invalid_model_files(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"gmm-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<InvalidModelFileException>(() => GaussianMixture.Load(path));
        Assert.Contains(path, e.Message);
        File.Delete(path);
    }

    [Fact]
    public void Fit_checks_its_arguments()
    {
        Assert.Contains("fewer", Assert.Throws<ArgumentException>(() => GaussianMixture.Fit(Tensor.Zeros(3, 2), 5, CovarianceKind.Full, 0)).Message);
        Assert.Contains("[N, Z]", Assert.Throws<ArgumentException>(() => GaussianMixture.Fit(Tensor.Zeros(3), 1, CovarianceKind.Full, 0)).Message);
        Assert.Equal("iterations", Assert.Throws<ArgumentException>(() => GaussianMixture.Fit(TwoClusters(1), 2, CovarianceKind.Full, 0, iterations: -1)).ParamName);
    }

    [Fact]
    public void Diagonal_mixture_from_parameters_matches_the_fitted_one()
    {
        var fit = GaussianMixture.Fit(TwoClusters(1), 2, CovarianceKind.Diagonal, seed: 3);
        var rebuilt = GaussianMixture.Diagonal(fit.Weights.ToArray(), fit.Means.ToArray(), fit.Covariances.ToArray());
        Assert.Equal(fit.MeanLogLikelihood(TwoClusters(2)), rebuilt.MeanLogLikelihood(TwoClusters(2)));
        Assert.Equal(fit.Sample(5, new Rng(4)).ToArray(), rebuilt.Sample(5, new Rng(4)).ToArray());
        Assert.Equal("variances", Assert.Throws<ArgumentException>(() => GaussianMixture.Diagonal([1.0], [[0.0, 0.0]], [[1.0, 0.0]])).ParamName);
        Assert.Equal("variances", Assert.Throws<ArgumentException>(() => GaussianMixture.Diagonal([0.5, 0.5], [[0.0]], [[1.0]])).ParamName);
    }

    [Theory]
    [InlineData("normal", 0, CovarianceKind.Full)]
    [InlineData("gmm:10", 10, CovarianceKind.Full)]
    [InlineData("GMM:4:diag", 4, CovarianceKind.Diagonal)]
    public void Sampler_specs_parse(string text, int k, CovarianceKind kind)
    {
        var s = SamplerSpec.Parse(text);
        Assert.Equal(k, s.Components);
        if (k > 0) Assert.Equal(kind, s.Kind);
    }

    [Theory]
    [InlineData("gmm")]
    [InlineData("gmm:0")]
    [InlineData("gmm:3:round")]
    [InlineData("flow")]
    public void Bad_sampler_specs_name_the_option(string text) =>
        Assert.Contains("--sampler", Assert.Throws<ArgumentException>(() => SamplerSpec.Parse(text)).Message);
}
