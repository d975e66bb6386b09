using System.Text.Json;
using Latent.Core;
using Latent.Data.Tables;

namespace Latent.Data.Tests.Tables;

public class StandardizerTests
{
    private static Dataset Table(float[] x, int d) => new("t", x, [d]);

    [Fact]
    public void Fits_mean_and_population_std_with_zero_std_mapped_to_one()
    {
        var train = Table([1, 5, 2, 3, 5, 5, 6, 5, 7], 3); // columns: [1,3,6] [5,5,5] [2,5,7]
        var s = Standardizer.Fit(train);
        Assert.Equal([10f / 3, 5f, 14f / 3], s.Mean);
        Assert.Equal(MathF.Sqrt((float)((7.0 / 3 * 7.0 / 3 + 1.0 / 9 + 64.0 / 9) / 3)), s.Std[0], 5);
        Assert.Equal(1f, s.Std[1]);

        var z = s.Transform(train);
        for (int j = 0; j < 3; j++)
            Assert.Equal(0.0, Enumerable.Range(0, 3).Average(i => z.X[i * 3 + j]), 5);
        Assert.Equal(0f, z.X[1]);
        var back = s.Inverse(z);
        for (int i = 0; i < 9; i++) Assert.Equal(train.X[i], back.X[i], 4);
        Assert.Equal(1f, train.X[0]); // the input is not modified
    }

    [Fact]
    public void Fit_on_train_only_is_applied_unchanged_to_test()
    {
        var s = Standardizer.Fit(Table([0, 2], 1)); // mean 1, std 1
        var t = s.Transform(Table([5], 1));
        Assert.Equal(4f, t.X[0]);
        var tensor = s.Transform(new Tensor([3f, 1f], 2, 1));
        Assert.Equal([2f, 0f], tensor.ToArray());
        Assert.Equal([3f, 1f], s.Inverse(tensor).ToArray());
    }

    [Fact]
    public void Round_trips_through_json_as_plain_arrays()
    {
        var s = new Standardizer([1.5f, -2f], [0.25f, 3f]);
        var json = JsonSerializer.Serialize(s);
        Assert.Contains("\"Mean\":[1.5,-2]", json);
        var r = JsonSerializer.Deserialize<Standardizer>(json)!;
        Assert.Equal(s.Mean, r.Mean);
        Assert.Equal(s.Std, r.Std);
    }

    [Fact]
    public void Rejects_bad_statistics_and_mismatched_data()
    {
        Assert.Throws<ArgumentException>(() => new Standardizer([0f], [0f]));
        Assert.Throws<ArgumentException>(() => new Standardizer([0f, 1f], [1f]));
        var s = new Standardizer([0f, 0f], [1f, 1f]);
        Assert.Throws<ArgumentException>(() => s.Transform(Table([1, 2, 3], 3)));
    }
}
