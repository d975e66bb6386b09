namespace Latent.Core.Tests.Ops;

/// <summary>MatMul forward against a plain loop and gradients by finite differences, for every transpose flag and batch broadcast.</summary>
public class MatMulGradTests
{
    // (a shape before transposes, b shape before transposes) in the untransposed layout [.., M, K] x [.., K, N].
    private static readonly (int[] A, int[] B)[] Shapes =
    [
        ([3, 4], [4, 2]),
        ([2, 3, 4], [4, 5]),          // batched a, shared b (the one-GEMM path)
        ([3, 4], [2, 4, 5]),          // shared a, batched b
        ([2, 3, 4], [2, 4, 5]),       // same batch
        ([2, 1, 3, 4], [3, 4, 2]),    // broadcast batch dims both ways
        ([1, 3, 4], [2, 4, 1]),
    ];

    public static TheoryData<int, bool, bool> Cases()
    {
        var d = new TheoryData<int, bool, bool>();
        for (int i = 0; i < Shapes.Length; i++)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    d.Add(i, ta, tb);
        return d;
    }

    private static Tensor T(Tensor x, bool t) => t ? x.Transpose(-2, -1) : x;

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesLoopAndGradientsMatchFiniteDifferences(int shapeCase, bool ta, bool tb)
    {
        var rng = new Rng((ulong)(shapeCase * 4 + (ta ? 2 : 0) + (tb ? 1 : 0)));
        var (sa, sb) = Shapes[shapeCase];
        // Store the operands transposed when the flag is set, so op(a) has the [.., M, K] layout.
        var a = T(rng.Normal(sa), ta).Detach();
        var b = T(rng.Normal(sb), tb).Detach();

        var y = Tensor.MatMul(a, b, ta, tb);
        var reference = Reference(T(a, ta), T(b, tb));
        Assert.Equal(reference.Shape, y.Shape);
        for (int i = 0; i < y.Size; i++) Assert.Equal(reference.Span[i], y.Span[i], 1e-5f);

        GradCheck.Check(xs => Tensor.MatMul(xs[0], xs[1], ta, tb), [a, b]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void SecondOrder(bool ta, bool tb)
    {
        var rng = new Rng(8);
        var a = rng.Normal([2, 3, 3]);
        var b = rng.Normal([3, 3]);
        // tanh makes the map non-linear, so the second derivative mixes both operands.
        GradCheck.CheckSecondOrder(xs => Tensor.MatMul(xs[0], xs[1], ta, tb).Tanh(), [a, b]);
    }

    /// <summary>Batched product with broadcasting by a triple loop in double.</summary>
    private static Tensor Reference(Tensor a, Tensor b)
    {
        var batch = Latent.Core.Shapes.Broadcast(a.Shape[..^2], b.Shape[..^2], "ref");
        int m = a.Shape[^2], k = a.Shape[^1], n = b.Shape[^1];
        var ab = a.BroadcastTo([.. batch, m, k]).ToArray();
        var bb = b.BroadcastTo([.. batch, k, n]).ToArray();
        int count = Latent.Core.Shapes.Size(batch);
        var y = new float[count * m * n];
        for (int t = 0; t < count; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += (double)ab[(t * m + i) * k + p] * bb[(t * k + p) * n + j];
                    y[(t * m + i) * n + j] = (float)s;
                }
        return new Tensor(y, [.. batch, m, n]);
    }
}
