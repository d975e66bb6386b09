using Latent.Core;

namespace Latent.Models.Distributions;

/// <summary>
/// The maximum mean discrepancy between two samples (Gretton et al. 2012, "A Kernel Two-Sample Test", JMLR 13):
/// MMD² = E k(x, x') + E k(y, y') − 2 E k(x, y) for a characteristic kernel k (<see cref="MmdKernel"/>), as a
/// differentiable loss between a batch of codes and a batch of prior samples (the penalty of the Wasserstein
/// autoencoder, Tolstikhin et al. 2018, and of InfoVAE, Zhao et al. 2019). The metric
/// <see cref="Metrics.Mmd"/> is the same estimate in double precision.
/// </summary>
public static class MaximumMeanDiscrepancy
{
    /// <summary>
    /// MMD² between x [N, D] and y [M, D] with <paramref name="kernel"/>, a differentiable scalar. Unbiased (the
    /// U-statistic of Gretton et al. Eq. 3, N, M ≥ 2): Σ_{i≠j} k(x_i, x_j) / (N(N−1)) + Σ_{i≠j} k(y_i, y_j) / (M(M−1))
    /// − 2 Σ_{i,j} k(x_i, y_j) / (NM), zero in expectation for equal distributions and possibly negative. Biased
    /// (<paramref name="unbiased"/> false, the V-statistic of Eq. 5, the diagonals included and every sum divided by
    /// its count of terms): never negative and exactly zero when x and y are the same rows. Squared distances are
    /// ‖a‖² + ‖b‖² − 2a·b, clamped at 0; O((N+M)² D) work in three matrix products.
    /// </summary>
    public static Tensor Squared(Tensor x, Tensor y, MmdKernel kernel, bool unbiased = true)
    {
        var (n, m) = CheckSamples(x, y, "MaximumMeanDiscrepancy.Squared", unbiased ? 2 : 1);
        ArgumentNullException.ThrowIfNull(kernel);
        var kxx = kernel.Apply(SquaredDistances(x, x));
        var kyy = kernel.Apply(SquaredDistances(y, y));
        var kxy = kernel.Apply(SquaredDistances(x, y));
        if (unbiased)
        {
            kxx = kxx * OffDiagonal(n);
            kyy = kyy * OffDiagonal(m);
        }
        var (cxx, cyy, cxy) = Counts(n, m, unbiased);
        return kxx.Sum() * (float)(1 / cxx) + kyy.Sum() * (float)(1 / cyy) - kxy.Sum() * (float)(2 / cxy);
    }

    /// <summary>
    /// The estimate from kernel sums: <paramref name="sumXx"/> over the ordered pairs of x (i ≠ j when unbiased, all
    /// N² pairs when biased), <paramref name="sumYy"/> likewise, <paramref name="sumXy"/> over all N·M pairs.
    /// </summary>
    public static double FromSums(double sumXx, double sumYy, double sumXy, int n, int m, bool unbiased = true)
    {
        var (cxx, cyy, cxy) = Counts(n, m, unbiased);
        return sumXx / cxx + sumYy / cyy - 2 * sumXy / cxy;
    }

    /// <summary>‖a_i − b_j‖² for a [N, D] and b [M, D]: [N, M], differentiable.</summary>
    public static Tensor SquaredDistances(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank != 2 || b.Rank != 2 || a.Shape[1] != b.Shape[1])
            throw new ArgumentException($"MaximumMeanDiscrepancy.SquaredDistances: {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} are not [N,D] and [M,D]", nameof(b));
        var na = a.Square().Sum(1, keepDim: true);               // [N, 1]
        var nb = b.Square().Sum(1).Reshape(1, b.Shape[0]);       // [1, M]
        return (na + nb - 2f * Tensor.MatMul(a, b, transposeB: true)).Clamp(min: 0f);
    }

    /// <summary>Checks x [N, D] and y [M, D] with at least <paramref name="least"/> rows each; returns (N, M).</summary>
    internal static (int N, int M) CheckSamples(Tensor x, Tensor y, string op, int least)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank != 2 || y.Rank != 2 || x.Shape[1] != y.Shape[1])
            throw new ArgumentException($"{op}: samples {Shapes.Format(x.Shape)} and {Shapes.Format(y.Shape)} are not [N,D] and [M,D]", nameof(y));
        int n = x.Shape[0], m = y.Shape[0];
        if (n < least || m < least)
            throw new ArgumentException($"{op}: need at least {least} samples on each side, got {n} and {m}", n < least ? nameof(x) : nameof(y));
        return (n, m);
    }

    // 1 − I [n, n]: drops the diagonal k(x_i, x_i) from the within-sample sums.
    private static Tensor OffDiagonal(int n)
    {
        var mask = new float[n * n];
        Array.Fill(mask, 1f);
        for (int i = 0; i < n; i++) mask[i * n + i] = 0f;
        return new Tensor(mask, n, n);
    }

    // The number of terms of each sum (each sum is divided by it; the cross term counts twice).
    private static (double Xx, double Yy, double Xy) Counts(int n, int m, bool unbiased) => unbiased
        ? ((double)n * (n - 1), (double)m * (m - 1), (double)n * m)
        : ((double)n * n, (double)m * m, (double)n * m);
}
