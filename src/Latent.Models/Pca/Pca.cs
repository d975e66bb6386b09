using Latent.Core;
using Latent.Data;

namespace Latent.Models.Pca;

/// <summary>
/// Principal component analysis (Pearson 1901; Hotelling 1933): centre the data, form the covariance
/// C = (1/N) Σₙ (xₙ − μ)(xₙ − μ)ᵀ [D, D] and keep its top-K eigenvectors.
/// </summary>
public static class Pca
{
    /// <summary>
    /// Fits K = <paramref name="components"/> components to <paramref name="data"/>. The covariance is accumulated in
    /// double from float32 GEMMs over blocks of <paramref name="batchSize"/> centred rows; the eigendecomposition is
    /// exact in double (<see cref="SymmetricEigen"/>). D = 784 fits in a few seconds.
    /// </summary>
    public static PcaModel Fit(Dataset data, int components, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(data);
        int d = data.SampleSize, n = data.Count;
        if (components < 1 || components > d)
            throw new ArgumentException($"pca: components {components} must be in [1, {d}]", nameof(components));
        if (n < 1) throw new ArgumentException($"pca: dataset '{data.Name}' is empty", nameof(data));
        if (batchSize < 1) throw new ArgumentException($"pca: batch size {batchSize} must be >= 1", nameof(batchSize));

        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = data.X.AsSpan(i * d, d);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        var meanF = mean.Select(m => (float)m).ToArray();

        // With fewer samples than features the d×d covariance is wasteful (and impossible for wide codes, e.g. a
        // dVAE's 25,088-d one-hot code): use the n×n Gram matrix instead, whose non-zero eigenvalues are the same.
        if (n < d && components <= n) return FitDual(data, components, mean, meanF);

        var cov = new double[d][];
        for (int i = 0; i < d; i++) cov[i] = new double[d];
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < n; start += batchSize)
            {
                int rows = Math.Min(batchSize, n - start);
                var block = new float[rows * d];
                for (int r = 0; r < rows; r++)
                {
                    var src = data.X.AsSpan((start + r) * d, d);
                    var dst = block.AsSpan(r * d, d);
                    for (int j = 0; j < d; j++) dst[j] = (float)(src[j] - mean[j]);
                }
                var xc = new Tensor(block, rows, d);
                var g = Tensor.MatMul(xc, xc, transposeA: true).Span; // [D, D]
                for (int i = 0; i < d; i++)
                {
                    var ci = cov[i];
                    for (int j = 0; j < d; j++) ci[j] += g[i * d + j];
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++) cov[i][j] /= n;
            trace += cov[i][i];
        }
        // Symmetrise exactly: the float GEMM may differ in the last bit between (i,j) and (j,i).
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) cov[i][j] = cov[j][i] = 0.5 * (cov[i][j] + cov[j][i]);

        var (values, vectors) = SymmetricEigen.Decompose(cov);
        var w = new float[components * d];
        var lambda = new float[components];
        for (int k = 0; k < components; k++)
        {
            lambda[k] = (float)Math.Max(0, values[k]);
            // Sign convention: the largest-magnitude entry of each direction is positive (deterministic output).
            var v = vectors[k];
            int arg = 0;
            for (int j = 1; j < d; j++) if (Math.Abs(v[j]) > Math.Abs(v[arg])) arg = j;
            double sign = v[arg] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) w[k * d + j] = (float)(sign * v[j]);
        }
        return new PcaModel(data.SampleShape, Tensor.FromArray(meanF, d), new Tensor(w, components, d), Tensor.FromArray(lambda, components), trace);
    }

    /// <summary>
    /// Dual PCA for n &lt; d: with centred data X [n, d], G = X Xᵀ / n has eigenpairs (λ, u) and the principal
    /// directions are v = Xᵀ u / √(n λ) (the same λ as the covariance Xᵀ X / n), so only an n×n problem is solved.
    /// </summary>
    private static PcaModel FitDual(Dataset data, int components, double[] mean, float[] meanF)
    {
        int d = data.SampleSize, n = data.Count;
        var xc = new float[(long)n * d];
        for (int i = 0; i < n; i++)
        {
            var src = data.X.AsSpan(i * d, d);
            var dst = xc.AsSpan(i * d, d);
            for (int j = 0; j < d; j++) dst[j] = (float)(src[j] - mean[j]);
        }
        var x = new Tensor(xc, n, d);
        float[] gram;
        using (Tensor.NoGrad()) gram = Tensor.MatMul(x, x, transposeB: true).ToArray(); // [n, n]
        var g = new double[n][];
        double trace = 0;
        for (int i = 0; i < n; i++)
        {
            g[i] = new double[n];
            for (int j = 0; j < n; j++) g[i][j] = 0.5 * (gram[i * n + j] + gram[j * n + i]) / n;
            trace += g[i][i];
        }
        var (values, vectors) = SymmetricEigen.Decompose(g);
        var w = new float[components * d];
        var lambda = new float[components];
        var dir = new double[d];
        for (int k = 0; k < components; k++)
        {
            lambda[k] = (float)Math.Max(0, values[k]);
            Array.Clear(dir);
            var u = vectors[k];
            for (int i = 0; i < n; i++)
            {
                if (u[i] == 0) continue;
                var row = xc.AsSpan(i * d, d);
                for (int j = 0; j < d; j++) dir[j] += u[i] * row[j];
            }
            double norm = Math.Sqrt(dir.Sum(v => v * v));
            // A zero-variance direction (rank < components) has no defined orientation: leave it zero.
            double scale = norm > 0 ? 1 / norm : 0;
            int arg = 0;
            for (int j = 1; j < d; j++) if (Math.Abs(dir[j]) > Math.Abs(dir[arg])) arg = j;
            if (dir[arg] < 0) scale = -scale;
            for (int j = 0; j < d; j++) w[k * d + j] = (float)(scale * dir[j]);
        }
        return new PcaModel(data.SampleShape, Tensor.FromArray(meanF, d), new Tensor(w, components, d), Tensor.FromArray(lambda, components), trace);
    }
}
