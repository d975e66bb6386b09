using Latent.Core;
using Latent.Data.Loading;

namespace Latent.Data.Tests.Loading;

public class LoadingTests
{
    private static Dataset Numbered(int n) =>
        new("n", Enumerable.Range(0, n * 2).Select(i => (float)(i / 2)).ToArray(), [2], Enumerable.Range(0, n).Select(i => i % 3).ToArray());

    [Fact]
    public void Split_sizes_cover_all_samples_once_and_are_reproducible()
    {
        var ds = Numbered(101);
        var s = DataSplit.Split(ds, [0.8, 0.1, 0.1], seed: 5);
        Assert.Equal(["train", "validation", "test"], s.Names);
        Assert.Equal([81, 10, 10], s.Names.Select(n => s[n].Count));
        var all = s.Names.SelectMany(n => s.Indices(n)).Order();
        Assert.Equal(Enumerable.Range(0, 101), all);
        // Each part's samples are the original rows at its indices.
        Assert.Equal(s.Indices("test").Select(i => (float)i), Enumerable.Range(0, 10).Select(k => s["test"].X[2 * k]));
        Assert.Equal(s.Indices("test").Select(i => i % 3), s["test"].Labels!);
        Assert.Equal(s.Indices("train"), DataSplit.Split(ds, [0.8, 0.1, 0.1], seed: 5).Indices("train"));
        Assert.NotEqual(s.Indices("train"), DataSplit.Split(ds, [0.8, 0.1, 0.1], seed: 6).Indices("train"));
        Assert.Throws<ArgumentException>(() => DataSplit.Split(ds, [0.5, 0.6], 0));
        Assert.Throws<KeyNotFoundException>(() => s["val"]);
    }

    [Theory]
    [InlineData(10, 3, false, new[] { 3, 3, 3, 1 })]
    [InlineData(10, 3, true, new[] { 3, 3, 3 })]
    [InlineData(9, 3, false, new[] { 3, 3, 3 })]
    public void Batches_in_order(int n, int bs, bool dropLast, int[] sizes)
    {
        var loader = new DataLoader(Numbered(n), bs, dropLast: dropLast);
        var batches = loader.Epoch().ToList();
        Assert.Equal(sizes.Length, loader.BatchCount);
        Assert.Equal(sizes, batches.Select(b => b.Size));
        Assert.Equal([bs, 2], batches[0].X.Shape);
        Assert.Equal([3f, 3f, 4f, 4f, 5f, 5f], batches[1].X.ToArray());
        Assert.Equal([0, 1, 2], batches[1].Labels!);
    }

    [Fact]
    public void Shuffled_epochs_are_permutations_and_differ()
    {
        var loader = new DataLoader(Numbered(50), 8, shuffle: true, rng: new Rng(1));
        var e1 = loader.Epoch().SelectMany(b => b.X.ToArray().Where((_, k) => k % 2 == 0).Select(v => (int)v)).ToList();
        var e2 = loader.Epoch().SelectMany(b => b.Indices.ToArray()).ToList();
        Assert.Equal(Enumerable.Range(0, 50), e1.Order());
        Assert.Equal(Enumerable.Range(0, 50), e2.Order());
        Assert.NotEqual(e1, e2);
        Assert.NotEqual(Enumerable.Range(0, 50), e1);
        var again = new DataLoader(Numbered(50), 8, shuffle: true, rng: new Rng(1));
        Assert.Equal(e1, again.Epoch().SelectMany(b => b.Indices.ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbered(5), 0));
    }
}
