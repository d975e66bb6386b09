namespace Latent.Core.Tests.Ops;

/// <summary>Zero-size dimensions flow through ops without throwing, with PyTorch's shapes.</summary>
public class EmptyTensorTests
{
    [Fact]
    public void ElementwiseAndBroadcastOfEmpty()
    {
        var e = Tensor.Zeros(0, 3);
        Assert.Equal([0, 3], (e + Tensor.Ones(3)).Shape);
        Assert.Equal([0, 3], Tensor.Where(Tensor.Ones(1), e, Tensor.Zeros(3)).Shape);
        Assert.Equal([0, 3], e.Exp().Shape);
    }

    [Fact]
    public void ReductionsOverEmptyAxis()
    {
        var e = Tensor.Zeros(2, 0);
        Assert.Equal([0f, 0f], e.Sum(1).ToArray());
        Assert.Equal([3], Tensor.Zeros(0, 3).Sum(0).Shape);
    }

    [Fact]
    public void ShapeOpsWithEmptyPieces()
    {
        var x = Tensor.Arange(6).Reshape(2, 3).RequireGrad();
        var c = Tensor.Concat([x, Tensor.Zeros(2, 0)], 1);
        Assert.Equal(x.ToArray(), c.ToArray());
        Assert.Equal([2, 0], x.Narrow(1, 3, 0).Shape);
        Assert.Equal([0, 3], x.IndexSelect(0, []).Shape);
        Assert.Equal([0, 2], Tensor.Zeros(2, 0).Permute(1, 0).Shape);
        Assert.Equal([2, 2], Tensor.Zeros(0, 2).Pad((1, 1), (0, 0)).Shape);
        var parts = x.Split([0, 3], 1);
        Assert.Equal([2, 0], parts[0].Shape);
        (c * 2f).Sum().Backward();
        Assert.Equal(Enumerable.Repeat(2f, 6), x.Grad!.ToArray());
    }

    [Fact]
    public void MatMulWithEmptyInnerDimIsZeros()
    {
        var y = Tensor.MatMul(Tensor.Zeros(2, 0), Tensor.Zeros(0, 3));
        Assert.Equal([2, 3], y.Shape);
        Assert.All(y.ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal([2, 0], Tensor.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(3, 0)).Shape);
        Assert.Equal([2, 3, 4], Tensor.MatMul(Tensor.Zeros(2, 3, 0), Tensor.Zeros(0, 4)).Shape);
        Assert.Equal([0, 3], Tensor.MatMul(Tensor.Zeros(4, 0), Tensor.Zeros(4, 3), transposeA: true).Shape);
    }
}
