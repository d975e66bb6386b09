using Latent.Core;

namespace Latent.Models.Rae;

/// <summary>
/// A mixture of K Gaussians with diagonal covariances in D dimensions, fitted by expectation–maximisation
/// (Dempster, Laird &amp; Rubin 1977; Bishop 2006, §9.2.2): the ex-post density over the codes of a regularised
/// autoencoder (Ghosh et al. 2020, §4). Parameters in double precision: weights π [K], means [K, D], variances [K, D].
/// </summary>
public sealed class GaussianMixture
{
    /// <summary>The variance floor that keeps a component from collapsing onto one point.</summary>
    public const double VarianceFloor = 1e-6;

    /// <summary>A mixture with the given parameters; weights [K], means and variances [K·D] row-major.</summary>
    public GaussianMixture(double[] weights, double[] means, double[] variances, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(variances);
        if (dimensions <= 0) throw new ArgumentException($"GaussianMixture: dimensions {dimensions} must be positive", nameof(dimensions));
        if (weights.Length == 0 || means.Length != weights.Length * dimensions || variances.Length != means.Length)
            throw new ArgumentException($"GaussianMixture: {weights.Length} weights, {means.Length} means and {variances.Length} variances do not fit K x {dimensions}", nameof(means));
        Weights = weights;
        Means = means;
        Variances = variances;
        Dimensions = dimensions;
    }

    /// <summary>π [K], summing to 1.</summary>
    public double[] Weights { get; }

    /// <summary>Means [K·D], row-major.</summary>
    public double[] Means { get; }

    /// <summary>Variances [K·D], row-major, at least <see cref="VarianceFloor"/>.</summary>
    public double[] Variances { get; }

    /// <summary>D.</summary>
    public int Dimensions { get; }

    /// <summary>K.</summary>
    public int Components => Weights.Length;

    /// <summary>
    /// Fits K components to the rows of <paramref name="points"/> [N, D] (N ≥ K) by <paramref name="iterations"/> EM
    /// steps, starting from K distinct rows drawn by <paramref name="rng"/> as means, the data variance and equal weights.
    /// </summary>
    public static GaussianMixture Fit(Tensor points, int components, int iterations, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(rng);
        if (points.Rank != 2) throw new ArgumentException($"GaussianMixture.Fit: points {Shapes.Format(points.Shape)} are not [N,D]", nameof(points));
        int n = points.Shape[0], d = points.Shape[1];
        if (components <= 0 || components > n)
            throw new ArgumentException($"GaussianMixture.Fit: {components} components for {n} points (need 1 <= K <= N)", nameof(components));
        if (iterations < 0) throw new ArgumentException($"GaussianMixture.Fit: iterations {iterations} must be >= 0", nameof(iterations));
        var x = points.ToArray().Select(v => (double)v).ToArray();
        var mean = new double[d];
        var variance = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) variance[j] += (x[i * d + j] - mean[j]) * (x[i * d + j] - mean[j]) / n;
        var weights = Enumerable.Repeat(1.0 / components, components).ToArray();
        var means = new double[components * d];
        var variances = new double[components * d];
        var start = Enumerable.Range(0, n).ToArray();
        for (int k = 0; k < components; k++)
        {
            int pick = k + rng.NextInt(n - k); // partial Fisher–Yates: K distinct rows
            (start[k], start[pick]) = (start[pick], start[k]);
            Array.Copy(x, start[k] * d, means, k * d, d);
            for (int j = 0; j < d; j++) variances[k * d + j] = Math.Max(variance[j], VarianceFloor);
        }
        var mixture = new GaussianMixture(weights, means, variances, d);
        var r = new double[n * components];
        for (int it = 0; it < iterations; it++)
        {
            // E step: responsibilities r_ik ∝ π_k N(x_i; μ_k, σ_k²).
            for (int i = 0; i < n; i++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < components; k++) max = Math.Max(max, r[i * components + k] = mixture.LogJoint(x, i, k));
                double sum = 0;
                for (int k = 0; k < components; k++) sum += r[i * components + k] = Math.Exp(r[i * components + k] - max);
                for (int k = 0; k < components; k++) r[i * components + k] /= sum;
            }
            // M step: weighted counts, means and variances.
            for (int k = 0; k < components; k++)
            {
                double nk = 0;
                for (int i = 0; i < n; i++) nk += r[i * components + k];
                weights[k] = Math.Max(nk, 1e-12) / n;
                if (nk < 1e-12) continue; // an empty component keeps its parameters
                for (int j = 0; j < d; j++)
                {
                    double m = 0;
                    for (int i = 0; i < n; i++) m += r[i * components + k] * x[i * d + j];
                    m /= nk;
                    double v = 0;
                    for (int i = 0; i < n; i++) v += r[i * components + k] * (x[i * d + j] - m) * (x[i * d + j] - m);
                    means[k * d + j] = m;
                    variances[k * d + j] = Math.Max(v / nk, VarianceFloor);
                }
            }
            double total = weights.Sum();
            for (int k = 0; k < components; k++) weights[k] /= total;
        }
        return mixture;
    }

    /// <summary>log p(x) = logsumexp_k [log π_k + log N(x; μ_k, σ_k²)] for each row of <paramref name="points"/> [N, D]: [N].</summary>
    public double[] LogProb(Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Rank != 2 || points.Shape[1] != Dimensions)
            throw new ArgumentException($"GaussianMixture.LogProb: points {Shapes.Format(points.Shape)} are not [N,{Dimensions}]", nameof(points));
        var x = points.ToArray().Select(v => (double)v).ToArray();
        var result = new double[points.Shape[0]];
        for (int i = 0; i < result.Length; i++)
        {
            double max = double.NegativeInfinity;
            var lj = new double[Components];
            for (int k = 0; k < Components; k++) max = Math.Max(max, lj[k] = LogJoint(x, i, k));
            result[i] = max + Math.Log(lj.Sum(v => Math.Exp(v - max)));
        }
        return result;
    }

    /// <summary><paramref name="count"/> draws: a component k ~ π, then x ~ N(μ_k, σ_k²): [count, D].</summary>
    public Tensor Sample(int count, Rng rng)
    {
        if (count <= 0) throw new ArgumentException($"GaussianMixture.Sample: count {count} must be positive", nameof(count));
        ArgumentNullException.ThrowIfNull(rng);
        var result = new float[count * Dimensions];
        for (int i = 0; i < count; i++)
        {
            double u = rng.NextDouble(), c = 0;
            int k = 0;
            while (k < Components - 1 && (c += Weights[k]) < u) k++;
            for (int j = 0; j < Dimensions; j++)
                result[i * Dimensions + j] = (float)(Means[k * Dimensions + j] + Math.Sqrt(Variances[k * Dimensions + j]) * rng.NextNormal());
        }
        return new Tensor(result, count, Dimensions);
    }

    // log π_k + log N(x_i; μ_k, diag σ_k²).
    private double LogJoint(double[] x, int i, int k)
    {
        int d = Dimensions;
        double s = Math.Log(Weights[k]) - 0.5 * d * Math.Log(2 * Math.PI);
        for (int j = 0; j < d; j++)
        {
            double v = Variances[k * d + j], diff = x[i * d + j] - Means[k * d + j];
            s -= 0.5 * (Math.Log(v) + diff * diff / v);
        }
        return s;
    }
}
