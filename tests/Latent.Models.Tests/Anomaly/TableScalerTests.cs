using Latent.Models.Anomaly;

namespace Latent.Models.Tests.Anomaly;

public class TableScalerTests
{
    [Fact]
    public void Standard_mode_is_mean_and_population_std()
    {
        var s = TableScaler.Fit([1, 10, 3, 20, 5, 30], 2, "standard", floor: 0);
        Assert.Equal([3f, 20f], s.Center);
        Assert.Equal((float)Math.Sqrt(8.0 / 3), s.Scale[0], 5);
        Assert.Equal((float)Math.Sqrt(200.0 / 3), s.Scale[1], 4);
        Assert.Equal([-1f / s.Scale[0], -10f / s.Scale[1]], s.Transform([2, 10]));
    }

    [Fact]
    public void Robust_mode_is_median_and_iqr_and_ignores_one_huge_value()
    {
        var rows = new float[] { 1, 2, 3, 4, 1000 };
        var s = TableScaler.Fit(rows, 1, "robust", floor: 0);
        Assert.Equal(3f, s.Center[0]);
        Assert.Equal(2f / 1.349f, s.Scale[0], 5); // numpy quantiles 2 and 4
    }

    [Fact]
    public void Near_constant_and_constant_features_get_the_floor()
    {
        // Feature 0: std 1; feature 1: std 0.001; feature 2: constant; feature 3: std 2.
        var rows = new List<float>();
        for (int i = 0; i < 100; i++) rows.AddRange([i % 2 == 0 ? 1 : -1, i % 2 == 0 ? 0.001f : -0.001f, 5, i % 2 == 0 ? 2 : -2]);
        var s = TableScaler.Fit(rows.ToArray(), 4, "standard", floor: 0.1);
        Assert.Equal(1f, s.Scale[0], 5);
        Assert.Equal(0.1f, s.Scale[1], 5); // 0.1 × median(1, 0.001, 2) = 0.1
        Assert.Equal(0.1f, s.Scale[2], 5);
        Assert.Equal(2f, s.Scale[3], 5);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Throws<ArgumentException>(() => TableScaler.Fit([1, 2, 3], 2));
        Assert.Throws<ArgumentException>(() => TableScaler.Fit([1, 2], 1, "minmax"));
        Assert.Throws<ArgumentException>(() => new TableScaler([0], [0]));
    }
}
