using Latent.Core;

namespace Latent.Models.Metrics;

/// <summary>
/// Maximum mean discrepancy between two samples (Gretton et al. 2012, "A Kernel Two-Sample Test", JMLR 13, Eq. 3):
/// the unbiased estimate of MMD² = E k(x,x') + E k(y,y') − 2 E k(x,y) with the RBF kernel
/// k(a,b) = exp(−‖a − b‖² / (2h²)). Zero in expectation when both samples come from the same distribution.
/// </summary>
public static class Mmd
{
    /// <summary>
    /// Unbiased MMD² between x [N, D] and y [M, D] (N, M ≥ 2) with the RBF kernel of bandwidth
    /// <paramref name="bandwidth"/>; 0 picks the median heuristic (the median pairwise distance of the pooled samples).
    /// Computed in double precision; O((N+M)² D).
    /// </summary>
    public static double Rbf(Tensor x, Tensor y, double bandwidth = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank != 2 || y.Rank != 2 || x.Shape[1] != y.Shape[1])
            throw new ArgumentException($"Mmd.Rbf: samples {Shapes.Format(x.Shape)} and {Shapes.Format(y.Shape)} are not [N,D] and [M,D]", nameof(y));
        int n = x.Shape[0], m = y.Shape[0], d = x.Shape[1];
        if (n < 2 || m < 2) throw new ArgumentException($"Mmd.Rbf: need at least 2 samples on each side, got {n} and {m}", n < 2 ? nameof(x) : nameof(y));
        if (!(bandwidth >= 0) || double.IsInfinity(bandwidth)) throw new ArgumentException($"Mmd.Rbf: bandwidth {bandwidth} must be finite and >= 0", nameof(bandwidth));

        var pooled = new float[(n + m) * d];
        x.Span.CopyTo(pooled);
        y.Span.CopyTo(pooled.AsSpan(n * d));
        int total = n + m;
        var sq = new double[total * total];
        for (int i = 0; i < total; i++)
            for (int j = i + 1; j < total; j++)
            {
                double s = 0;
                for (int c = 0; c < d; c++) { double diff = pooled[i * d + c] - pooled[j * d + c]; s += diff * diff; }
                sq[i * total + j] = sq[j * total + i] = s;
            }
        if (bandwidth == 0) bandwidth = MedianDistance(sq, total);
        double gamma = 1.0 / (2 * bandwidth * bandwidth);

        double kxx = 0, kyy = 0, kxy = 0;
        for (int i = 0; i < total; i++)
            for (int j = i + 1; j < total; j++)
            {
                double k = Math.Exp(-gamma * sq[i * total + j]);
                if (j < n) kxx += k;                 // both in x
                else if (i >= n) kyy += k;           // both in y
                else kxy += k;                       // i in x, j in y
            }
        return 2 * kxx / ((double)n * (n - 1)) + 2 * kyy / ((double)m * (m - 1)) - 2 * kxy / ((double)n * m);
    }

    private static double MedianDistance(double[] sq, int total)
    {
        var distances = new List<double>(total * (total - 1) / 2);
        for (int i = 0; i < total; i++)
            for (int j = i + 1; j < total; j++) distances.Add(Math.Sqrt(sq[i * total + j]));
        distances.Sort();
        double median = distances[distances.Count / 2];
        return median > 0 ? median : 1.0;
    }
}
