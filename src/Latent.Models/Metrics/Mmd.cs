using Latent.Core;
using Latent.Models.Distributions;

namespace Latent.Models.Metrics;

/// <summary>
/// Maximum mean discrepancy between two samples (Gretton et al. 2012, "A Kernel Two-Sample Test", JMLR 13, Eq. 3):
/// the unbiased estimate of MMD² = E k(x,x') + E k(y,y') − 2 E k(x,y) with the RBF kernel
/// k(a,b) = exp(−‖a − b‖² / (2h²)). Zero in expectation when both samples come from the same distribution.
/// The kernel and the estimate are those of <see cref="MaximumMeanDiscrepancy"/> (the differentiable loss), here
/// in double precision with the bandwidth chosen from the data.
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
        var (n, m) = MaximumMeanDiscrepancy.CheckSamples(x, y, "Mmd.Rbf", 2);
        if (!(bandwidth >= 0) || double.IsInfinity(bandwidth)) throw new ArgumentException($"Mmd.Rbf: bandwidth {bandwidth} must be finite and >= 0", nameof(bandwidth));
        int d = x.Shape[1];

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
        var kernel = MmdKernel.Rbf(bandwidth == 0 ? MedianDistance(sq, total) : bandwidth);

        double kxx = 0, kyy = 0, kxy = 0;
        for (int i = 0; i < total; i++)
            for (int j = i + 1; j < total; j++)
            {
                double k = kernel.Apply(sq[i * total + j]);
                if (j < n) kxx += k;                 // both in x
                else if (i >= n) kyy += k;           // both in y
                else kxy += k;                       // i in x, j in y
            }
        // Each within-sample pair was visited once; the estimate counts it both ways.
        return MaximumMeanDiscrepancy.FromSums(2 * kxx, 2 * kyy, kxy, n, m);
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
