using Latent.Core;
using Latent.Models.Pca;

namespace Latent.Models.Metrics;

/// <summary>
/// How close generated samples are to the data, measured on features (the penultimate layer of a
/// <see cref="FeatureClassifier"/> trained on the same dataset, or any other embedding):
/// <list type="bullet">
/// <item>the Fréchet distance between Gaussians fitted to the two feature sets (Dowson &amp; Landau 1982; the statistic of
/// Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium", NeurIPS, computed
/// here on a small classifier of our own instead of Inception, so it is not FID):
/// d² = ‖μ_r − μ_g‖² + Tr(Σ_r + Σ_g − 2 (Σ_r^{½} Σ_g Σ_r^{½})^{½});</item>
/// <item>precision and recall of the samples (Kynkäänniemi, Karras, Laine, Lehtinen &amp; Aila 2019, "Improved Precision and
/// Recall Metric for Assessing Generative Models", NeurIPS, §2): each real feature vector φ gets a ball of radius the
/// distance to its k-th nearest real neighbour; precision is the fraction of samples inside at least one real ball (do the
/// samples look real?), recall the fraction of real points inside at least one sample ball (is the data covered?).</item>
/// </list>
/// The matrix square roots come from the symmetric eigendecomposition (<see cref="SymmetricEigen"/>): Σ_r^{½} = V diag √λ Vᵀ,
/// and Tr M^{½} = Σ √λ_i(M) for the symmetric positive semi-definite M = Σ_r^{½} Σ_g Σ_r^{½}; tiny negative eigenvalues from
/// rounding are clamped to 0. Everything is accumulated in double precision.
/// </summary>
public static class SampleQuality
{
    /// <summary>The default k of the k-NN radii (Kynkäänniemi et al. 2019 use k = 3).</summary>
    public const int DefaultNeighbours = 3;

    /// <summary>
    /// The Fréchet distance d² between Gaussians fitted (mean, unbiased covariance) to the rows of <paramref name="a"/> [N, F] and
    /// <paramref name="b"/> [M, F] (N, M ≥ 2). 0 for identical sets; for equal covariances it is ‖μ_a − μ_b‖².
    /// </summary>
    public static double FrechetDistance(Tensor a, Tensor b)
    {
        var (n, f) = CheckFeatures(a, nameof(a), 2);
        var (m, g) = CheckFeatures(b, nameof(b), 2);
        if (f != g) throw new ArgumentException($"SampleQuality.FrechetDistance: features [{n},{f}] and [{m},{g}] differ in width", nameof(b));
        var (muA, covA) = MeanAndCovariance(a.Span, n, f);
        var (muB, covB) = MeanAndCovariance(b.Span, m, f);
        double meanTerm = 0;
        for (int i = 0; i < f; i++) meanTerm += (muA[i] - muB[i]) * (muA[i] - muB[i]);
        double trace = 0;
        for (int i = 0; i < f; i++) trace += covA[i][i] + covB[i][i];
        var rootA = SquareRoot(covA);
        var product = Multiply(Multiply(rootA, covB), rootA);
        // Symmetrise: rounding leaves the product asymmetric in the last bits, and the eigen-solver assumes symmetry.
        for (int i = 0; i < f; i++)
            for (int j = i + 1; j < f; j++) product[i][j] = product[j][i] = 0.5 * (product[i][j] + product[j][i]);
        var (values, _) = SymmetricEigen.Decompose(product);
        double traceRoot = values.Sum(v => Math.Sqrt(Math.Max(v, 0)));
        return Math.Max(0, meanTerm + trace - 2 * traceRoot);
    }

    /// <summary>
    /// Precision and recall of the samples <paramref name="fake"/> [M, F] against the data <paramref name="real"/> [N, F]
    /// with k-NN radii (<paramref name="k"/> &lt; N and &lt; M; Kynkäänniemi et al. 2019). A point exactly on a ball's surface counts as inside.
    /// </summary>
    public static (double Precision, double Recall) PrecisionRecall(Tensor real, Tensor fake, int k = DefaultNeighbours)
    {
        if (k < 1) throw new ArgumentException($"SampleQuality.PrecisionRecall: k {k} must be >= 1", nameof(k));
        var (n, f) = CheckFeatures(real, nameof(real), k + 1);
        var (m, g) = CheckFeatures(fake, nameof(fake), k + 1);
        if (f != g) throw new ArgumentException($"SampleQuality.PrecisionRecall: features [{n},{f}] and [{m},{g}] differ in width", nameof(fake));
        var r = real.ToArray();
        var s = fake.ToArray();
        var realRadii = KthNeighbourDistances(r, n, f, k);
        var fakeRadii = KthNeighbourDistances(s, m, f, k);
        return (Coverage(s, m, r, n, realRadii, f), Coverage(r, n, s, m, fakeRadii, f));
    }

    /// <summary>Fréchet distance, precision and recall of <paramref name="samples"/> against <paramref name="real"/> (both [B, ...InputShape]) in the classifier's features.</summary>
    public static SampleQualityScores Score(FeatureClassifier classifier, Tensor real, Tensor samples, int k = DefaultNeighbours)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        var fr = classifier.Features(real);
        var fs = classifier.Features(samples);
        var (precision, recall) = PrecisionRecall(fr, fs, k);
        return new SampleQualityScores(FrechetDistance(fr, fs), precision, recall, fr.Shape[0], fs.Shape[0], k);
    }

    /// <summary>Row means [F] and the unbiased covariance [F][F] of <paramref name="x"/> (n rows of f).</summary>
    private static (double[] Mean, double[][] Covariance) MeanAndCovariance(ReadOnlySpan<float> x, int n, int f)
    {
        var mean = new double[f];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < f; i++) mean[i] += x[r * f + i];
        for (int i = 0; i < f; i++) mean[i] /= n;
        var cov = new double[f][];
        for (int i = 0; i < f; i++) cov[i] = new double[f];
        var centred = new double[f];
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < f; i++) centred[i] = x[r * f + i] - mean[i];
            for (int i = 0; i < f; i++)
            {
                double ci = centred[i];
                var row = cov[i];
                for (int j = 0; j <= i; j++) row[j] += ci * centred[j];
            }
        }
        for (int i = 0; i < f; i++)
            for (int j = 0; j <= i; j++) cov[j][i] = cov[i][j] /= n - 1;
        return (mean, cov);
    }

    /// <summary>The symmetric square root V diag √max(λ, 0) Vᵀ of a symmetric positive semi-definite matrix (not modified).</summary>
    private static double[][] SquareRoot(double[][] a)
    {
        int f = a.Length;
        var (values, vectors) = SymmetricEigen.Decompose(a.Select(r => (double[])r.Clone()).ToArray());
        var root = new double[f][];
        for (int i = 0; i < f; i++) root[i] = new double[f];
        for (int e = 0; e < f; e++)
        {
            double s = Math.Sqrt(Math.Max(values[e], 0));
            if (s == 0) continue;
            var v = vectors[e];
            for (int i = 0; i < f; i++)
            {
                double si = s * v[i];
                var row = root[i];
                for (int j = 0; j < f; j++) row[j] += si * v[j];
            }
        }
        return root;
    }

    private static double[][] Multiply(double[][] a, double[][] b)
    {
        int f = a.Length;
        var c = new double[f][];
        for (int i = 0; i < f; i++)
        {
            var row = c[i] = new double[f];
            for (int k = 0; k < f; k++)
            {
                double aik = a[i][k];
                if (aik == 0) continue;
                var bk = b[k];
                for (int j = 0; j < f; j++) row[j] += aik * bk[j];
            }
        }
        return c;
    }

    /// <summary>For each of the n rows, the squared distance to its k-th nearest other row.</summary>
    private static double[] KthNeighbourDistances(float[] x, int n, int f, int k)
    {
        var radii = new double[n];
        Parallel.For(0, n, i =>
        {
            // The k smallest squared distances seen so far, ascending (insertion into a k-array).
            var best = new double[k];
            Array.Fill(best, double.PositiveInfinity);
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double d = SquaredDistance(x, i, x, j, f);
                if (d >= best[k - 1]) continue;
                int p = k - 1;
                while (p > 0 && best[p - 1] > d) { best[p] = best[p - 1]; p--; }
                best[p] = d;
            }
            radii[i] = best[k - 1];
        });
        return radii;
    }

    /// <summary>The fraction of the <paramref name="count"/> query rows inside at least one ball (centre row of <paramref name="centres"/>, squared radius).</summary>
    private static double Coverage(float[] queries, int count, float[] centres, int centreCount, double[] radii, int f)
    {
        int inside = 0;
        Parallel.For(0, count, () => 0, (q, _, local) =>
        {
            for (int c = 0; c < centreCount; c++)
                if (SquaredDistance(queries, q, centres, c, f) <= radii[c]) return local + 1;
            return local;
        }, local => Interlocked.Add(ref inside, local));
        return (double)inside / count;
    }

    private static double SquaredDistance(float[] a, int i, float[] b, int j, int f)
    {
        double s = 0;
        int oa = i * f, ob = j * f;
        for (int t = 0; t < f; t++)
        {
            double d = a[oa + t] - b[ob + t];
            s += d * d;
        }
        return s;
    }

    private static (int Rows, int Width) CheckFeatures(Tensor x, string name, int minRows)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.Rank != 2 || x.Shape[0] < minRows || x.Shape[1] < 1)
            throw new ArgumentException($"SampleQuality: {name} {Shapes.Format(x.Shape)} must be [N,F] with N >= {minRows}", name);
        return (x.Shape[0], x.Shape[1]);
    }
}
