using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Core;
using Latent.Core.IO;

namespace Latent.Models.Sampling;

/// <summary>
/// A Gaussian mixture <c>p(z) = Σ_k π_k · N(z; μ_k, Σ_k)</c> over codes [N, Z], fitted by expectation–maximisation
/// (Dempster, Laird and Rubin 1977; Bishop, PRML §9.2) from a k-means++ initialisation (Arthur and Vassilvitskii 2007).
/// Fitted on the training codes of a deterministic autoencoder, it turns the decoder into a generator: draw
/// <c>z ~ p(z)</c> and decode it (the "ex-post density estimation" of Ghosh et al. 2020, used by pythae's
/// <c>GaussianMixtureSampler</c>). A ridge <see cref="Regularisation"/> is added to every covariance diagonal so a
/// component that collapses onto a few codes stays invertible. All randomness comes from the seed given to
/// <see cref="Fit"/>, so the same codes and seed give the same mixture.
/// </summary>
public sealed class GaussianMixture
{
    /// <summary>Ridge added to every covariance diagonal.</summary>
    public const double Regularisation = 1e-6;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    private GaussianMixture(CovarianceKind kind, double[] weights, double[][] means, double[][] covariances)
    {
        Kind = kind;
        _weights = weights;
        _means = means;
        _covariances = covariances;
        Cholesky = kind == CovarianceKind.Full ? covariances.Select(c => Factor(c, means[0].Length)).ToArray() : null;
    }

    private readonly double[] _weights;
    private readonly double[][] _means;
    private readonly double[][] _covariances;

    /// <summary>Full or diagonal covariances.</summary>
    public CovarianceKind Kind { get; }

    /// <summary>Number of components K.</summary>
    public int Components => _weights.Length;

    /// <summary>Size of the codes Z.</summary>
    public int Dimension => _means[0].Length;

    /// <summary>Mixing weights π [K], summing to 1.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Means μ [K][Z].</summary>
    public IReadOnlyList<double[]> Means => _means;

    /// <summary>Covariances [K][Z·Z] row-major (full) or [K][Z] (diagonal), ridge included.</summary>
    public IReadOnlyList<double[]> Covariances => _covariances;

    /// <summary>Lower Cholesky factors of the full covariances [K][Z·Z]; null for diagonal ones.</summary>
    private double[][]? Cholesky { get; }

    /// <summary>
    /// A mixture of diagonal Gaussians from its parameters: weights π [K] summing to 1, means [K][Z] and variances [K][Z]
    /// (positive; used as given, no ridge added).
    /// </summary>
    public static GaussianMixture Diagonal(double[] weights, double[][] means, double[][] variances)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(variances);
        if (weights.Length == 0 || means.Length != weights.Length || variances.Length != weights.Length
            || means.Any(m => m.Length != means[0].Length || m.Length == 0) || variances.Any(v => v.Length != means[0].Length || v.Any(s => !(s > 0))))
            throw new ArgumentException($"GaussianMixture.Diagonal: {weights.Length} weights, {means.Length} means and {variances.Length} variances must agree in size, with positive variances", nameof(variances));
        return new GaussianMixture(CovarianceKind.Diagonal, weights, means, variances);
    }

    /// <summary>
    /// Fits <paramref name="components"/> Gaussians to <paramref name="codes"/> [N, Z] by EM: k-means++ centres seeded by
    /// <paramref name="seed"/> give the first M step, then at most <paramref name="iterations"/> E and M steps, stopping
    /// when the mean log-likelihood improves by less than <paramref name="tolerance"/>.
    /// </summary>
    public static GaussianMixture Fit(Tensor codes, int components, CovarianceKind kind, ulong seed, int iterations = 100, double tolerance = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Rank != 2) throw new ArgumentException($"GaussianMixture.Fit: codes {Shapes.Format(codes.Shape)} are not [N, Z]", nameof(codes));
        int n = codes.Shape[0], z = codes.Shape[1];
        if (components < 1) throw new ArgumentException($"GaussianMixture.Fit: components {components} must be positive", nameof(components));
        if (n < components) throw new ArgumentException($"GaussianMixture.Fit: {n} codes are fewer than the {components} components", nameof(codes));
        if (iterations < 0) throw new ArgumentException($"GaussianMixture.Fit: iterations {iterations} must be >= 0", nameof(iterations));
        var x = new double[n][];
        var span = codes.Span;
        for (int i = 0; i < n; i++)
        {
            x[i] = new double[z];
            for (int j = 0; j < z; j++)
            {
                x[i][j] = span[i * z + j];
                if (!double.IsFinite(x[i][j])) throw new ArgumentException($"GaussianMixture.Fit: code {i} has a non-finite value at dimension {j}", nameof(codes));
            }
        }

        // Initial responsibilities: hard assignment to the nearest k-means++ centre.
        var centres = KMeansPlusPlus(x, components, new Rng(seed));
        var resp = new double[n][];
        for (int i = 0; i < n; i++)
        {
            resp[i] = new double[components];
            int best = 0;
            double bestD = double.PositiveInfinity;
            for (int k = 0; k < components; k++)
            {
                double d = Distance2(x[i], centres[k]);
                if (d < bestD) { bestD = d; best = k; }
            }
            resp[i][best] = 1;
        }

        GaussianMixture gmm = MStep(x, resp, kind);
        double previous = double.NegativeInfinity;
        for (int it = 0; it < iterations; it++)
        {
            double ll = gmm.EStep(x, resp);
            gmm = MStep(x, resp, kind);
            if (ll - previous < tolerance) break;
            previous = ll;
        }
        return gmm;
    }

    /// <summary>Mean log-density of <paramref name="codes"/> [N, Z] under the mixture (nats per code).</summary>
    public double MeanLogLikelihood(Tensor codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Rank != 2 || codes.Shape[1] != Dimension)
            throw new ArgumentException($"GaussianMixture.MeanLogLikelihood: codes {Shapes.Format(codes.Shape)} are not [N, {Dimension}]", nameof(codes));
        int n = codes.Shape[0];
        var span = codes.Span;
        double total = 0;
        var lp = new double[Components];
        for (int i = 0; i < n; i++)
        {
            var xi = new double[Dimension];
            for (int j = 0; j < Dimension; j++) xi[j] = span[i * Dimension + j];
            for (int k = 0; k < Components; k++) lp[k] = Math.Log(Weights[k]) + LogDensity(xi, k);
            total += LogSumExp(lp);
        }
        return total / n;
    }

    /// <summary>Draws <paramref name="count"/> codes [count, Z]: a component by its weight, then <c>μ_k + L_k·ε</c> with <c>ε ~ N(0, I)</c>.</summary>
    public Tensor Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 1) throw new ArgumentException($"GaussianMixture.Sample: count {count} must be positive", nameof(count));
        int z = Dimension;
        var v = new float[count * z];
        var eps = new double[z];
        for (int i = 0; i < count; i++)
        {
            double u = rng.NextDouble(), acc = 0;
            int k = Components - 1;
            for (int c = 0; c < Components; c++)
            {
                acc += Weights[c];
                if (u < acc) { k = c; break; }
            }
            for (int j = 0; j < z; j++) eps[j] = rng.NextNormal();
            for (int j = 0; j < z; j++)
            {
                double s = Means[k][j];
                if (Cholesky is { } l)
                    for (int m = 0; m <= j; m++) s += l[k][j * z + m] * eps[m];
                else
                    s += Math.Sqrt(Covariances[k][j]) * eps[j];
                v[i * z + j] = (float)s;
            }
        }
        return new Tensor(v, [count, z]);
    }

    /// <summary>Writes the mixture as JSON to <paramref name="path"/> atomically.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var doc = new Document(1, Kind == CovarianceKind.Full ? "full" : "diagonal", _weights, _means, _covariances);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(doc, Json) + "\n");
    }

    /// <summary>Reads a mixture written by <see cref="Save"/>; InvalidModelFileException naming the file when it is malformed.</summary>
    public static GaussianMixture Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Gaussian mixture '{path}' not found", path);
        Document? d;
        try
        {
            d = JsonSerializer.Deserialize<Document>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidModelFileException(path, $"not a valid Gaussian mixture: {e.Message}", e);
        }
        if (d is null || d.Version != 1 || d.Weights is not { Length: > 0 } w || d.Means is not { } mu || d.Covariances is not { } cov
            || d.Kind is not ("full" or "diagonal"))
            throw new InvalidModelFileException(path, "not a Gaussian mixture of version 1 with kind, weights, means and covariances");
        var kind = d.Kind == "full" ? CovarianceKind.Full : CovarianceKind.Diagonal;
        int z = mu.Length > 0 && mu[0] is { } m0 ? m0.Length : 0;
        if (z < 1 || mu.Length != w.Length || cov.Length != w.Length
            || mu.Any(m => m is null || m.Length != z)
            || cov.Any(c => c is null || c.Length != (kind == CovarianceKind.Full ? z * z : z))
            || w.Any(p => !(p >= 0) || !double.IsFinite(p)) || Math.Abs(w.Sum() - 1) > 1e-6
            || mu.Any(m => m.Any(v => !double.IsFinite(v))) || cov.Any(c => c.Any(v => !double.IsFinite(v))))
            throw new InvalidModelFileException(path, $"inconsistent Gaussian mixture: {w.Length} weights, means and covariances must agree in size and be finite");
        try
        {
            return new GaussianMixture(kind, w, mu, cov);
        }
        catch (ArgumentException e)
        {
            throw new InvalidModelFileException(path, e.Message, e);
        }
    }

    private sealed record Document(
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("weights")] double[] Weights,
        [property: JsonPropertyName("means")] double[][] Means,
        [property: JsonPropertyName("covariances")] double[][] Covariances);

    private double EStep(double[][] x, double[][] resp)
    {
        double total = 0;
        var lp = new double[Components];
        for (int i = 0; i < x.Length; i++)
        {
            for (int k = 0; k < Components; k++) lp[k] = Math.Log(Math.Max(Weights[k], 1e-300)) + LogDensity(x[i], k);
            double lse = LogSumExp(lp);
            total += lse;
            for (int k = 0; k < Components; k++) resp[i][k] = Math.Exp(lp[k] - lse);
        }
        return total / x.Length;
    }

    private static GaussianMixture MStep(double[][] x, double[][] resp, CovarianceKind kind)
    {
        int n = x.Length, z = x[0].Length, kCount = resp[0].Length;
        var weights = new double[kCount];
        var means = new double[kCount][];
        var covs = new double[kCount][];
        for (int k = 0; k < kCount; k++)
        {
            double nk = 0;
            var mu = new double[z];
            for (int i = 0; i < n; i++)
            {
                double r = resp[i][k];
                nk += r;
                for (int j = 0; j < z; j++) mu[j] += r * x[i][j];
            }
            // An empty component keeps a tiny weight, the overall mean and unit covariance rather than dividing by zero.
            double denom = Math.Max(nk, 1e-10);
            for (int j = 0; j < z; j++) mu[j] /= denom;
            var cov = new double[kind == CovarianceKind.Full ? z * z : z];
            for (int i = 0; i < n; i++)
            {
                double r = resp[i][k];
                if (r == 0) continue;
                for (int a = 0; a < z; a++)
                {
                    double da = x[i][a] - mu[a];
                    if (kind == CovarianceKind.Diagonal) cov[a] += r * da * da;
                    else
                        for (int b = 0; b <= a; b++) cov[a * z + b] += r * da * (x[i][b] - mu[b]);
                }
            }
            for (int a = 0; a < z; a++)
            {
                if (kind == CovarianceKind.Diagonal) cov[a] = cov[a] / denom + Regularisation;
                else
                {
                    for (int b = 0; b <= a; b++)
                    {
                        cov[a * z + b] /= denom;
                        cov[b * z + a] = cov[a * z + b];
                    }
                    cov[a * z + a] += Regularisation;
                }
            }
            if (nk < 1e-10)
            {
                for (int a = 0; a < z; a++)
                    if (kind == CovarianceKind.Diagonal) cov[a] = 1; else cov[a * z + a] = 1;
            }
            weights[k] = nk / n;
            means[k] = mu;
            covs[k] = cov;
        }
        double sum = weights.Sum();
        for (int k = 0; k < kCount; k++) weights[k] /= sum;
        return new GaussianMixture(kind, weights, means, covs);
    }

    private double LogDensity(double[] x, int k)
    {
        int z = Dimension;
        var mu = Means[k];
        double quad = 0, logDet = 0;
        if (Cholesky is { } chol)
        {
            // Solve L·y = x − μ; then (x − μ)ᵀ Σ⁻¹ (x − μ) = |y|² and log|Σ| = 2 Σ log L_jj.
            var l = chol[k];
            var y = new double[z];
            for (int j = 0; j < z; j++)
            {
                double s = x[j] - mu[j];
                for (int m = 0; m < j; m++) s -= l[j * z + m] * y[m];
                y[j] = s / l[j * z + j];
                quad += y[j] * y[j];
                logDet += 2 * Math.Log(l[j * z + j]);
            }
        }
        else
        {
            var v = Covariances[k];
            for (int j = 0; j < z; j++)
            {
                double d = x[j] - mu[j];
                quad += d * d / v[j];
                logDet += Math.Log(v[j]);
            }
        }
        return -0.5 * (z * Math.Log(2 * Math.PI) + logDet + quad);
    }

    private static double[] Factor(double[] cov, int z)
    {
        var l = new double[z * z];
        for (int i = 0; i < z; i++)
        for (int j = 0; j <= i; j++)
        {
            double s = cov[i * z + j];
            for (int m = 0; m < j; m++) s -= l[i * z + m] * l[j * z + m];
            if (i == j)
            {
                if (!(s > 0)) throw new ArgumentException($"GaussianMixture: covariance is not positive definite (pivot {s:G3} at dimension {i})", nameof(cov));
                l[i * z + i] = Math.Sqrt(s);
            }
            else l[i * z + j] = s / l[j * z + j];
        }
        return l;
    }

    private static double[][] KMeansPlusPlus(double[][] x, int k, Rng rng)
    {
        int n = x.Length;
        var centres = new double[k][];
        centres[0] = x[rng.NextInt(n)];
        var d2 = new double[n];
        for (int i = 0; i < n; i++) d2[i] = Distance2(x[i], centres[0]);
        for (int c = 1; c < k; c++)
        {
            double total = d2.Sum();
            int pick = n - 1;
            if (total > 0)
            {
                double u = rng.NextDouble() * total, acc = 0;
                for (int i = 0; i < n; i++)
                {
                    acc += d2[i];
                    if (u < acc) { pick = i; break; }
                }
            }
            else pick = rng.NextInt(n);
            centres[c] = x[pick];
            for (int i = 0; i < n; i++) d2[i] = Math.Min(d2[i], Distance2(x[i], centres[c]));
        }
        return centres;
    }

    private static double Distance2(double[] a, double[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) { double d = a[j] - b[j]; s += d * d; }
        return s;
    }

    private static double LogSumExp(double[] v)
    {
        double m = v.Max();
        if (double.IsNegativeInfinity(m)) return m;
        double s = 0;
        foreach (var e in v) s += Math.Exp(e - m);
        return m + Math.Log(s);
    }
}
