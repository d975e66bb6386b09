using Latent.Models.IO;

namespace Latent.Models.Tests.IO;

public class ModelManifestTests
{
    private static ModelManifest Bare(float[]? quantiles = null) =>
        new() { Model = "ae", Options = "", CodeSize = 2, InputShape = [3], TrainingScoreQuantiles = quantiles };

    [Fact]
    public void Defaults_are_the_current_format_and_version()
    {
        var m = Bare();
        Assert.Equal(ModelManifest.CurrentFormatVersion, m.FormatVersion);
        Assert.Equal(ModelFile.LatentVersion, m.LatentVersion);
        Assert.Empty(m.Training);
        Assert.Empty(m.Metrics);
        Assert.Null(m.Data);
        Assert.Null(m.TrainingScoreQuantile(0.5));
        Assert.Null(Bare([]).TrainingScoreQuantile(0.5));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.25, 5.0)]
    [InlineData(0.5, 10.0)]
    [InlineData(0.9, 26.0)]
    [InlineData(1.0, 30.0)]
    public void Quantiles_interpolate_between_evenly_spaced_probabilities(double p, double expected)
    {
        float[] q = [0f, 10f, 30f];
        Assert.Equal(expected, ModelManifest.QuantileOf(q, p), 12);
        Assert.Equal(expected, Bare(q).TrainingScoreQuantile(p)!.Value, 12);
    }

    [Fact]
    public void A_single_quantile_is_every_quantile()
    {
        Assert.Equal(7.0, ModelManifest.QuantileOf([7f], 0.0));
        Assert.Equal(7.0, ModelManifest.QuantileOf([7f], 1.0));
    }

    [Fact]
    public void Bad_quantile_arguments_are_named()
    {
        Assert.Equal("probability", Assert.Throws<ArgumentException>(() => ModelManifest.QuantileOf([1f, 2f], 1.5)).ParamName);
        Assert.Equal("probability", Assert.Throws<ArgumentException>(() => ModelManifest.QuantileOf([1f, 2f], double.NaN)).ParamName);
        Assert.Equal("q", Assert.Throws<ArgumentException>(() => ModelManifest.QuantileOf([], 0.5)).ParamName);
        Assert.Throws<ArgumentNullException>(() => ModelManifest.QuantileOf(null!, 0.5));
    }
}
