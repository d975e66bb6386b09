using System.Text.Json;
using Latent.Data.Loading;

namespace Latent.Data.Tests.Loading;

/// <summary>NumpyRandomState and DataSplit.SklearnTrainTestSplit against numpy's own output (tests/Golden/numpy_split).</summary>
public class NumpyRandomStateTests
{
    private static readonly JsonElement Golden =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "numpy_split.json"))).RootElement;

    private static long[] Longs(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();

    [Fact]
    public void Raw_32_bit_outputs_match_numpy()
    {
        foreach (var c in Golden.GetProperty("uint32").EnumerateArray())
        {
            var rs = new NumpyRandomState(c.GetProperty("seed").GetUInt32());
            var expected = Longs(c.GetProperty("values"));
            // 1300 draws cross two regenerations of the 624-word state.
            Assert.Equal(expected, expected.Select(_ => (long)rs.NextUInt32()).ToArray());
        }
    }

    [Fact]
    public void Bounded_64_bit_draws_match_numpy()
    {
        foreach (var c in Golden.GetProperty("interval64").EnumerateArray())
        {
            var rs = new NumpyRandomState(c.GetProperty("seed").GetUInt32());
            ulong max = c.GetProperty("max").GetUInt64();
            var expected = c.GetProperty("values").EnumerateArray().Select(v => v.GetUInt64()).ToArray();
            Assert.Equal(expected, expected.Select(_ => rs.Interval(max)).ToArray());
        }
    }

    [Fact]
    public void Permutations_match_numpy()
    {
        int cases = 0;
        foreach (var c in Golden.GetProperty("permutations").EnumerateArray())
        {
            var perm = new NumpyRandomState(c.GetProperty("seed").GetUInt32()).Permutation(c.GetProperty("n").GetInt32());
            Assert.Equal(Longs(c.GetProperty("perm")), perm.Select(v => (long)v).ToArray());
            cases++;
        }
        Assert.Equal(24, cases);
    }

    [Fact]
    public void Sklearn_split_matches_numpy_on_every_odds_size_and_seeds_0_to_9()
    {
        int cases = 0;
        foreach (var c in Golden.GetProperty("odds_splits").EnumerateArray())
        {
            int n = c.GetProperty("n").GetInt32();
            var data = new Dataset("rows", Enumerable.Range(0, n).Select(i => (float)i).ToArray(), [1]);
            var split = DataSplit.SklearnTrainTestSplit(data, 0.4, c.GetProperty("seed").GetUInt32());
            foreach (var part in new[] { "train", "test" })
            {
                var g = c.GetProperty(part);
                var idx = split.Indices(part).Select(v => (long)v).ToArray();
                Assert.Equal(g.GetProperty("count").GetInt32(), idx.Length);
                Assert.Equal(Longs(g.GetProperty("head")), idx.Take(8));
                Assert.Equal(Longs(g.GetProperty("tail")), idx.TakeLast(8));
                long weighted = 0;
                for (int i = 0; i < idx.Length; i++) weighted += (i + 1) * idx[i];
                Assert.Equal(g.GetProperty("weighted_sum").GetInt64(), weighted);
                // The part holds the rows at its indices, in that order.
                Assert.Equal(idx.Select(v => (float)v), split[part].X);
            }
            cases++;
        }
        Assert.Equal(110, cases);
    }

    [Fact]
    public void Sklearn_split_rejects_bad_fractions()
    {
        var data = new Dataset("rows", new float[10], [1]);
        var e = Assert.Throws<ArgumentException>(() => DataSplit.SklearnTrainTestSplit(data, 1.2, 0));
        Assert.Equal("testFraction", e.ParamName);
        Assert.Throws<ArgumentException>(() => DataSplit.SklearnTrainTestSplit(data, 0, 0));
        Assert.Throws<ArgumentException>(() => DataSplit.SklearnTrainTestSplit(new Dataset("one", new float[1], [1]), 0.4, 0));
    }
}
