namespace Latent.Core.Tests.Ops;

/// <summary>Reshape, permute, slicing, pad, concat/split, gather/scatter, index-select and top-k.</summary>
public class ShapeGradTests
{
    private static Tensor X(params int[] shape) => new Rng(11).Normal(shape);

    [Fact]
    public void ReshapeFlattenSqueezeUnsqueeze()
    {
        GradCheck.Check(xs => xs[0].Reshape(4, -1) * 2f, [X(2, 3, 2)]);
        GradCheck.Check(xs => xs[0].Flatten(1).Square(), [X(2, 3, 2)]);
        GradCheck.Check(xs => xs[0].Unsqueeze(-1).Squeeze(2).Unsqueeze(0), [X(2, 3)]);
    }

    [Theory]
    [InlineData(new[] { 1, 0 })]
    [InlineData(new[] { 2, 0, 1 })]
    [InlineData(new[] { 1, 2, 0 })]
    [InlineData(new[] { 0, 2, 1, 3 })]
    [InlineData(new[] { 3, 1, 0, 2 })]
    public void Permute(int[] perm)
    {
        var shape = new[] { 2, 3, 4, 2 }[..perm.Length];
        var x = X(shape);
        var y = x.Permute(perm);
        var idx = new int[perm.Length];
        var src = new int[perm.Length];
        for (int flat = 0; flat < y.Size; flat++)
        {
            int r = flat;
            for (int d = perm.Length - 1; d >= 0; d--) { idx[d] = r % y.Shape[d]; r /= y.Shape[d]; }
            for (int d = 0; d < perm.Length; d++) src[perm[d]] = idx[d];
            Assert.Equal(x[src], y.Span[flat]);
        }
        GradCheck.Check(xs => xs[0].Permute(perm), [x]);
    }

    [Fact]
    public void TransposeWithNegativeAxes()
    {
        var x = X(2, 3, 4);
        Assert.Equal([2, 4, 3], x.Transpose().Shape);
        Assert.Equal(x[1, 2, 3], x.Transpose(0, -1)[3, 2, 1]);
        GradCheck.Check(xs => xs[0].Transpose(0, 2), [x]);
    }

    [Fact]
    public void SliceNarrowPadPlaceInto()
    {
        var x = X(3, 4, 5);
        var s = x.Slice([1, 0, 2], [2, 3, 2]);
        Assert.Equal(x[2, 2, 3], s[1, 2, 1]);
        GradCheck.Check(xs => xs[0].Slice([1, 0, 2], [2, 3, 2]), [x]);
        GradCheck.Check(xs => xs[0].Narrow(-1, 1, 3), [x]);
        GradCheck.Check(xs => xs[0].Narrow(0, 2, 1), [x]);
        var p = x.Pad((0, 1), (2, 0), (1, 1));
        Assert.Equal([4, 6, 7], p.Shape);
        Assert.Equal(x[0, 0, 0], p[0, 2, 1]);
        Assert.Equal(0f, p[3, 0, 0]);
        Assert.Equal(0f, p.Sum([0, 1, 2]).Item() - x.Sum().Item(), 4);
        GradCheck.Check(xs => xs[0].Pad((1, 0), (0, 0), (2, 3)), [x]);
        GradCheck.Check(xs => xs[0].PlaceInto([4, 5, 6], [1, 0, 1]), [x]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void ConcatSplitChunkStack(int axis)
    {
        var rng = new Rng(5);
        var shapeA = new[] { 2, 3, 4 };
        var shapeB = (int[])shapeA.Clone();
        int a = axis < 0 ? axis + 3 : axis;
        shapeB[a] = 1;
        var shapeC = (int[])shapeA.Clone();
        shapeC[a] = 2;
        var x = rng.Normal(shapeA);
        var y = rng.Normal(shapeB);
        var z = rng.Normal(shapeC);
        var c = Tensor.Concat([x, y, z], axis);
        Assert.Equal(shapeA[a] + 1 + 2, c.Shape[a]);
        var parts = c.Split([shapeA[a], 1, 2], axis);
        Assert.Equal(x.ToArray(), parts[0].ToArray());
        Assert.Equal(y.ToArray(), parts[1].ToArray());
        Assert.Equal(z.ToArray(), parts[2].ToArray());
        GradCheck.Check(xs => Tensor.Concat(xs, axis), [x, y, z]);
        GradCheck.Check(xs => xs[0].Split([1, shapeA[a] - 1], axis), [x]);
        GradCheck.Check(xs => xs[0].Chunk(2, axis), [x]);
        GradCheck.Check(xs => Tensor.Stack([xs[0], xs[1]], axis), [x, x.Square()]);
    }

    [Fact]
    public void ChunkSizesFollowTorch()
    {
        // torch.chunk(arange(6), 4) -> sizes 2, 2, 2 (ceil(6/4) = 2 per chunk, so only 3 chunks).
        Assert.Equal([2, 2, 2], Tensor.Arange(6).Chunk(4).Select(t => t.Size));
        Assert.Equal([3, 3, 1], Tensor.Arange(7).Chunk(3).Select(t => t.Size));
    }

    [Fact]
    public void IndexSelectAndEmbeddingLookupWithRepeats()
    {
        var table = X(5, 3);
        var ids = new[] { 4, 0, 4, 2 };
        var e = table.IndexSelect(0, ids);
        Assert.Equal([4, 3], e.Shape);
        Assert.Equal(table[4, 1], e[2, 1]);
        GradCheck.Check(xs => xs[0].IndexSelect(0, ids), [table]);
        GradCheck.Check(xs => xs[0].IndexSelect(-1, [2, 2, 0]), [X(2, 3, 4)]);
        GradCheck.Check(xs => xs[0].IndexSelect(1, [1]), [X(2, 3, 4)]);
        GradCheck.Check(xs => xs[0].IndexAdd(0, ids, [6, 3]), [X(4, 3)]);
    }

    [Fact]
    public void GatherAndScatterAdd()
    {
        var x = X(3, 4);
        int[] index = [3, 0, 0, 1, 2, 2];
        var g = x.GatherAlong(1, index, [3, 2]);
        Assert.Equal(x[0, 3], g[0, 0]);
        Assert.Equal(x[2, 2], g[2, 1]);
        GradCheck.Check(xs => xs[0].GatherAlong(1, index, [3, 2]), [x]);
        int[] index0 = [2, 0, 1, 1, 0, 0, 2, 2];
        GradCheck.Check(xs => xs[0].GatherAlong(0, index0, [2, 4]), [x]);
        GradCheck.Check(xs => xs[0].ScatterAddAlong(1, index, [3, 4]), [X(3, 2)]);
        var s = Tensor.Ones(3, 2).ScatterAddAlong(1, index, [3, 4]);
        Assert.Equal([1f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 2f, 0f], s.ToArray());
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void TopKValuesAndIndices(int axis, bool largest)
    {
        var x = GradCheck.Distinct(new Rng(3), 3, 5, 2);
        var (values, indices) = x.TopK(2, axis, largest);
        int a = axis < 0 ? axis + 3 : axis;
        var sorted = x.Permute(a == 0 ? [1, 2, 0] : a == 1 ? [0, 2, 1] : [0, 1, 2]);
        int r = x.Shape[a];
        var rows = sorted.Reshape(-1, r);
        var vrows = values.Permute(a == 0 ? [1, 2, 0] : a == 1 ? [0, 2, 1] : [0, 1, 2]).Reshape(-1, 2);
        for (int i = 0; i < rows.Shape[0]; i++)
        {
            var row = rows.Narrow(0, i, 1).ToArray();
            var expect = largest ? row.OrderByDescending(v => v).Take(2) : row.OrderBy(v => v).Take(2);
            Assert.Equal(expect, vrows.Narrow(0, i, 1).ToArray());
        }
        Assert.Equal(values.ToArray(), x.GatherAlong(a, indices, values.Shape).ToArray());
        GradCheck.Check(xs => xs[0].TopK(2, axis, largest).Values, [x]);
    }

    [Fact]
    public void TopKTreatsNaNAsLargestLikeTorch()
    {
        // torch.topk([1, nan, 3], 2) -> values [nan, 3], indices [1, 2]; smallest -> [1, 3], indices [0, 2].
        var x = Tensor.FromArray([1f, float.NaN, 3f]);
        var (v, i) = x.TopK(2);
        Assert.True(float.IsNaN(v.Span[0]));
        Assert.Equal(3f, v.Span[1]);
        Assert.Equal([1, 2], i);
        var (vs, js) = x.TopK(2, largest: false);
        Assert.Equal([1f, 3f], vs.ToArray());
        Assert.Equal([0, 2], js);
    }

    [Fact]
    public void TopKTiesKeepTheLowerIndexFirst()
    {
        var (_, i) = Tensor.FromArray([2f, 5f, 2f, 5f]).TopK(4);
        Assert.Equal([1, 3, 0, 2], i);
    }

    [Fact]
    public void SecondOrderThroughShapeOps()
    {
        var x = X(2, 3);
        GradCheck.CheckSecondOrder(xs => Tensor.Concat([xs[0].Square(), xs[0].Narrow(1, 1, 2).Exp()], 1), [x]);
        GradCheck.CheckSecondOrder(xs => xs[0].Permute(1, 0).IndexSelect(0, [2, 2, 0]).Tanh(), [x]);
        GradCheck.CheckSecondOrder(xs => xs[0].Pad((1, 1), (0, 2)).Sigmoid(), [x]);
        GradCheck.CheckSecondOrder(xs => xs[0].GatherAlong(1, [2, 0, 1, 1], [2, 2]).Square(), [x]);
    }
}
