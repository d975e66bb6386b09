using Latent.Core;
using Latent.Models.Metrics;

namespace Latent.Models.Tests.Metrics;

public class MmdTests
{
    [Fact]
    public void Same_distribution_is_near_zero_and_a_shift_is_not()
    {
        var rng = new Rng(1);
        var a = rng.Normal([300, 3]);
        var b = rng.Normal([300, 3]);
        var shifted = rng.Normal([300, 3], mean: 1f);
        var wide = rng.Normal([300, 3], std: 2f);
        double same = Mmd.Rbf(a, b), shift = Mmd.Rbf(a, shifted), scale = Mmd.Rbf(a, wide);
        Assert.InRange(same, -0.01, 0.01);
        Assert.True(shift > 0.1, $"shift {shift}");
        Assert.True(scale > 0.05, $"scale {scale}");
    }

    [Fact]
    public void Matches_the_definition_on_a_tiny_example()
    {
        var x = Tensor.FromArray([0f, 1f], 2, 1);
        var y = Tensor.FromArray([0f, 3f], 2, 1);
        double k(double d) => Math.Exp(-d * d / 2); // h = 1
        double expected = 2 * k(1) / 2 + 2 * k(3) / 2 - 2 * (k(0) + k(3) + k(1) + k(2)) / 4;
        Assert.Equal(expected, Mmd.Rbf(x, y, bandwidth: 1), 12);
    }

    [Fact]
    public void Bad_shapes_name_the_parameter()
    {
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Mmd.Rbf(Tensor.Zeros(3, 2), Tensor.Zeros(3, 4))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Mmd.Rbf(Tensor.Zeros(1, 2), Tensor.Zeros(3, 2))).ParamName);
        Assert.Equal("bandwidth", Assert.Throws<ArgumentException>(() => Mmd.Rbf(Tensor.Zeros(2, 2), Tensor.Zeros(3, 2), -1)).ParamName);
    }
}
