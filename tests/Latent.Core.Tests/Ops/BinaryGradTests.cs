namespace Latent.Core.Tests.Ops;

/// <summary>Finite-difference checks of the broadcasting binary ops and where.</summary>
public class BinaryGradTests
{
    private static readonly Dictionary<string, Func<Tensor, Tensor, Tensor>> Ops = new()
    {
        ["add"] = Tensor.Add,
        ["sub"] = Tensor.Sub,
        ["mul"] = Tensor.Mul,
        ["div"] = Tensor.Div,
        ["pow"] = Tensor.Pow,
        ["maximum"] = Tensor.Maximum,
        ["minimum"] = Tensor.Minimum,
    };

    // same, row, column, scalar (rank 0), one-element, leading-dim, outer-product, middle-dim broadcasts
    private static readonly (int[] A, int[] B)[] Shapes =
    [
        ([2, 3], [2, 3]),
        ([2, 3], [3]),
        ([2, 3], [2, 1]),
        ([2, 3], []),
        ([], [2, 3]),
        ([1], [2, 3]),
        ([4, 2, 3], [2, 3]),
        ([2, 3], [4, 2, 3]),
        ([3, 1], [1, 4]),
        ([2, 1, 3], [4, 1]),
        ([2, 3, 1, 2], [3, 5, 1]),
    ];

    public static TheoryData<string, int> Cases()
    {
        var d = new TheoryData<string, int>();
        foreach (var op in Ops.Keys)
            for (int i = 0; i < Shapes.Length; i++) d.Add(op, i);
        return d;
    }

    private static (Tensor, Tensor) Inputs(string op, int[] sa, int[] sb, ulong seed)
    {
        var rng = new Rng(seed);
        if (op is "maximum" or "minimum")
        {
            // Distinct values over both inputs, so no pair is within 2h of a tie.
            var all = GradCheck.Distinct(rng, Latent.Core.Shapes.Size(sa) + Latent.Core.Shapes.Size(sb));
            var v = all.ToArray();
            return (Tensor.FromArray(v.AsSpan(0, Latent.Core.Shapes.Size(sa)), sa), Tensor.FromArray(v.AsSpan(Latent.Core.Shapes.Size(sa)), sb));
        }
        var a = rng.Normal(sa);
        var b = rng.Normal(sb);
        if (op == "div") b = b.Abs() + 0.5f;
        if (op == "pow") a = a.Abs() + 0.5f; // a^b with a real exponent needs a > 0
        return (a.Detach(), b.Detach());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FirstOrder(string op, int shapeCase)
    {
        var (sa, sb) = Shapes[shapeCase];
        var (a, b) = Inputs(op, sa, sb, (ulong)(10 + shapeCase));
        GradCheck.Check(xs => Ops[op](xs[0], xs[1]), [a, b]);
    }

    [Theory]
    [InlineData("mul")]
    [InlineData("div")]
    [InlineData("pow")]
    public void SecondOrder(string op)
    {
        var (a, b) = Inputs(op, [2, 3], [3], 3);
        GradCheck.CheckSecondOrder(xs => Ops[op](xs[0], xs[1]), [a, b]);
        (a, b) = Inputs(op, [3, 1], [1, 2], 4);
        GradCheck.CheckSecondOrder(xs => Ops[op](xs[0], xs[1]), [a, b]);
    }

    [Fact]
    public void BroadcastForwardMatchesExplicitLoop()
    {
        var rng = new Rng(7);
        var a = rng.Normal([2, 3, 1, 2]);
        var b = rng.Normal([3, 5, 1]);
        var y = a - b;
        Assert.Equal([2, 3, 5, 2], y.Shape);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 5; k++)
                    for (int l = 0; l < 2; l++)
                        Assert.Equal(a[i, j, 0, l] - b[j, k, 0], y[i, j, k, l]);
    }

    [Fact]
    public void MaximumAndMinimumSplitTheGradientAtTies()
    {
        var a = Tensor.FromArray([1f, 2f, 3f]).RequireGrad();
        var b = Tensor.FromArray([1f, 1f, 4f]).RequireGrad();
        (Tensor.Maximum(a, b) + 10f * Tensor.Minimum(a, b)).Sum().Backward();
        Assert.Equal([5.5f, 1f, 10f], a.Grad!.ToArray());
        Assert.Equal([5.5f, 10f, 1f], b.Grad!.ToArray());
    }

    [Fact]
    public void MaximumAndMinimumPropagateNaN()
    {
        var a = Tensor.FromArray([float.NaN, 1f]);
        var b = Tensor.FromArray([1f, float.NaN]);
        Assert.All(Tensor.Maximum(a, b).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.All(Tensor.Minimum(a, b).ToArray(), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void PowGradientMasksFollowPyTorch()
    {
        // torch: d/da a^b = 0 where b == 0; d/db a^b = 0 where a == 0 and b >= 0.
        var a = Tensor.FromArray([0f, 0f, 2f]).RequireGrad();
        var b = Tensor.FromArray([0f, 2f, 0f]).RequireGrad();
        var y = Tensor.Pow(a, b);
        Assert.Equal([1f, 0f, 1f], y.ToArray());
        y.Sum().Backward();
        Assert.Equal([0f, 0f, 0f], a.Grad!.ToArray());
        Assert.Equal([0f, 0f, MathF.Log(2f)], b.Grad!.ToArray());
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 1 }, new[] { 3 }, new[] { 1 })]
    [InlineData(new[] { 3 }, new[] { 2, 1 }, new int[0])]
    [InlineData(new[] { 1, 1 }, new[] { 4, 1, 3 }, new[] { 2, 1 })]
    public void WhereBroadcastsAllThree(int[] sc, int[] sa, int[] sb)
    {
        var rng = new Rng(3);
        var cond = rng.Bernoulli(sc, 0.5f);
        var a = rng.Normal(sa);
        var b = rng.Normal(sb);
        GradCheck.Check(xs => Tensor.Where(cond, xs[0], xs[1]), [a, b]);
        var y = Tensor.Where(cond, a, b);
        var c = cond.BroadcastTo(y.Shape).ToArray();
        var av = a.BroadcastTo(y.Shape).ToArray();
        var bv = b.BroadcastTo(y.Shape).ToArray();
        for (int i = 0; i < y.Size; i++) Assert.Equal(c[i] != 0 ? av[i] : bv[i], y.Span[i]);
    }

    [Fact]
    public void WhereDoesNotLeakNaNFromTheUnselectedSide()
    {
        var a = Tensor.FromArray([1f, float.NaN]).RequireGrad();
        var b = Tensor.FromArray([float.PositiveInfinity, 2f]).RequireGrad();
        var y = Tensor.Where(Tensor.FromArray([1f, 0f]), a, b);
        Assert.Equal([1f, 2f], y.ToArray());
        y.Sum().Backward();
        Assert.Equal([1f, 0f], a.Grad!.ToArray());
        Assert.Equal([0f, 1f], b.Grad!.ToArray());
    }
}
