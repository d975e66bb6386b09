using Latent.Core;
using Latent.Models.Pca;

namespace Latent.Models.Tests.Pca;

public class SymmetricEigenTests
{
    private static double[][] RandomSymmetric(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = rng.NextNormal();
        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(60)]
    public void Eigenpairs_satisfy_A_v_equals_lambda_v_and_are_orthonormal(int n)
    {
        var a = RandomSymmetric(n, (ulong)n);
        var copy = a.Select(r => (double[])r.Clone()).ToArray();
        var (values, vectors) = SymmetricEigen.Decompose(copy);
        for (int k = 0; k < n; k++)
        {
            if (k > 0) Assert.True(values[k] <= values[k - 1]);
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i][j] * vectors[k][j];
                Assert.True(Math.Abs(av - values[k] * vectors[k][i]) < 1e-9, $"residual at ({k},{i})");
            }
            for (int l = 0; l <= k; l++)
            {
                double dot = 0;
                for (int j = 0; j < n; j++) dot += vectors[k][j] * vectors[l][j];
                Assert.Equal(k == l ? 1.0 : 0.0, dot, 9);
            }
        }
        Assert.Equal(Enumerable.Range(0, n).Sum(i => a[i][i]), values.Sum(), 9);
    }

    [Fact]
    public void Known_two_by_two()
    {
        // [[2,1],[1,2]] has eigenvalues 3 (along (1,1)/√2) and 1.
        var (values, vectors) = SymmetricEigen.Decompose([[2, 1], [1, 2]]);
        Assert.Equal(3, values[0], 12);
        Assert.Equal(1, values[1], 12);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(vectors[0][0]), 12);
        Assert.Equal(vectors[0][0], vectors[0][1], 12);
    }

    [Fact]
    public void Diagonal_and_repeated_eigenvalues()
    {
        var (values, _) = SymmetricEigen.Decompose([[1, 0, 0], [0, 5, 0], [0, 0, 1]]);
        Assert.Equal([5.0, 1.0, 1.0], values);
    }
}
