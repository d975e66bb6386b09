namespace Latent.Core.Tests.Ops;

/// <summary>Reductions, logsumexp and softmax: finite-difference gradients and PyTorch semantics.</summary>
public class ReduceGradTests
{
    public static TheoryData<int[], bool> AxisCases() => new()
    {
        { new[] { 0 }, false }, { new[] { 0 }, true },
        { new[] { 1 }, false }, { new[] { 1 }, true },
        { new[] { -1 }, false }, { new[] { -1 }, true },
        { new[] { 0, 2 }, false }, { new[] { 0, 2 }, true },
        { new[] { -1, 1 }, false }, { new[] { 2, -3 }, true },
        { new[] { 0, 1, 2 }, false },
    };

    private static Tensor X(ulong seed = 1) => new Rng(seed).Normal([2, 3, 4]);

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Sum(int[] axes, bool keepDim) => GradCheck.Check(xs => xs[0].Sum(axes, keepDim), [X()]);

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void Mean(int[] axes, bool keepDim) => GradCheck.Check(xs => xs[0].Mean(axes, keepDim), [X()]);

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void VarUnbiasedAndBiased(int[] axes, bool keepDim)
    {
        GradCheck.Check(xs => xs[0].Var(axes, unbiased: true, keepDim), [X()]);
        GradCheck.Check(xs => xs[0].Var(axes, unbiased: false, keepDim), [X()]);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    [InlineData(-1, true)]
    public void MaxMinLogSumExpSoftmax(int axis, bool keepDim)
    {
        var x = GradCheck.Distinct(new Rng(2), 2, 3, 4);
        GradCheck.Check(xs => xs[0].Max(axis, keepDim), [x]);
        GradCheck.Check(xs => xs[0].Min(axis, keepDim), [x]);
        GradCheck.Check(xs => xs[0].LogSumExp(axis, keepDim), [X()]);
        GradCheck.Check(xs => xs[0].Softmax(axis), [X()]);
        GradCheck.Check(xs => xs[0].LogSoftmax(axis), [X()]);
    }

    [Fact]
    public void FullReductions()
    {
        GradCheck.Check(xs => xs[0].Sum(), [X()]);
        GradCheck.Check(xs => xs[0].Mean(), [X()]);
    }

    [Fact]
    public void SecondOrderThroughSoftmaxLogSoftmaxLogSumExpVar()
    {
        var x = new Rng(4).Normal([3, 4]);
        GradCheck.CheckSecondOrder(xs => xs[0].Softmax(-1), [x]);
        GradCheck.CheckSecondOrder(xs => xs[0].Softmax(0), [x]);
        GradCheck.CheckSecondOrder(xs => xs[0].LogSoftmax(-1), [x]);
        GradCheck.CheckSecondOrder(xs => xs[0].LogSoftmax(0), [x]);
        GradCheck.CheckSecondOrder(xs => xs[0].LogSumExp(1), [x]);
        GradCheck.CheckSecondOrder(xs => xs[0].Var([0, 1]), [x]);
    }

    [Fact]
    public void ReductionShapes()
    {
        var x = X();
        Assert.Equal([3], x.Sum([0, 2]).Shape);
        Assert.Equal([1, 3, 1], x.Sum([0, -1], keepDim: true).Shape);
        Assert.Equal([2, 4], x.Max(1).Shape);
        Assert.Equal([2, 1, 4], x.Min(-2, keepDim: true).Shape);
        Assert.Equal(Array.Empty<int>(), x.Sum().Shape);
        Assert.Equal([2, 3], x.LogSumExp(-1).Shape);
    }

    [Fact]
    public void VarOfOneElementUnbiasedIsNaNAsInPyTorch()
    {
        var x = Tensor.FromArray([2f, 3f], 2, 1);
        Assert.All(x.Var(1).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.Equal([0f, 0f], x.Var(1, unbiased: false).ToArray());
        Assert.Equal(0.5f, x.Var(0).Item(), 6);
    }

    [Fact]
    public void MaxAndArgMaxTakeTheFirstOfTiesAndNaNWins()
    {
        var x = Tensor.FromArray([1f, 3f, 3f, 0f, 1f, float.NaN, 5f, float.NaN], 2, 4).RequireGrad();
        Assert.Equal([1, 1], x.ArgMax(1));
        Assert.Equal([3, 1], x.ArgMin(1));
        var m = x.Max(1);
        Assert.Equal(3f, m.Span[0]);
        Assert.True(float.IsNaN(m.Span[1]));
        m.Backward(Tensor.Ones(2));
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void ArgMinReturnsFirstNaNOrFirstMinimum()
    {
        var x = Tensor.FromArray([2f, 0f, 0f, 1f, float.NaN, 1f, float.NaN], 7);
        Assert.Equal([4], x.ArgMin(0));
        Assert.Equal([1], x.Narrow(0, 0, 4).ArgMin(0));
    }

    [Fact]
    public void SoftmaxIsStableForLargeInputs()
    {
        // exp(1000) overflows float32; softmax must shift by the row maximum first (torch gives [1, 0]).
        var last = Tensor.FromArray([1000f, 0f, -1000f], 1, 3).Softmax(-1);
        Assert.Equal([1f, 0f, 0f], last.ToArray());
        var first = Tensor.FromArray([1000f, 0f, -1000f], 3, 1).Softmax(0);
        Assert.Equal([1f, 0f, 0f], first.ToArray());
        var logp = Tensor.FromArray([1000f, 0f], 1, 2).LogSoftmax(-1);
        Assert.Equal([0f, -1000f], logp.ToArray());
    }

    [Fact]
    public void LogSumExpHandlesInfinities()
    {
        var x = Tensor.FromArray([float.NegativeInfinity, float.NegativeInfinity, 1f, float.PositiveInfinity], 2, 2);
        var y = x.LogSumExp(1);
        Assert.Equal(float.NegativeInfinity, y.Span[0]);
        Assert.Equal(float.PositiveInfinity, y.Span[1]);
        var big = Tensor.FromArray([100f, 100f], 1, 2).LogSumExp(1);
        Assert.Equal(100f + MathF.Log(2f), big.Item(), 4);
    }

    [Fact]
    public void SumOverNoAxesIsACopyNotAView()
    {
        var x = Tensor.FromArray([1f, 2f]);
        var y = x.Sum(Array.Empty<int>());
        y.Span[0] = 5f;
        Assert.Equal(1f, x.Span[0]);
    }
}
