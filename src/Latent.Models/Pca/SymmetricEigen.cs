using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Latent.Models.Pca;

/// <summary>
/// Eigendecomposition of a real symmetric matrix in double precision: Householder reduction to tridiagonal form,
/// then the implicit-shift QL iteration on the tridiagonal matrix with the rotations accumulated into the
/// eigenvectors (Golub &amp; Van Loan, Matrix Computations, §8.3; Bowdler, Martin, Reinsch &amp; Wilkinson 1968,
/// "The QR and QL algorithms for symmetric matrices"). O(n³); n = 784 takes about a second.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Eigenvalues in descending order and the matching unit eigenvectors as rows (vectors[j] is the eigenvector of
    /// values[j]). <paramref name="a"/> (n rows of length n, symmetric) is overwritten.
    /// </summary>
    public static (double[] Values, double[][] Vectors) Decompose(double[][] a)
    {
        int n = a.Length;
        foreach (var row in a)
            if (row.Length != n) throw new ArgumentException($"SymmetricEigen: row of length {row.Length} in a {n}x{n} matrix", nameof(a));
        var qt = Tridiagonalise(a, out var d, out var e);
        Ql(d, e, qt);
        var order = Enumerable.Range(0, n).OrderByDescending(i => d[i]).ToArray();
        return (order.Select(i => d[i]).ToArray(), order.Select(i => qt[i]).ToArray());
    }

    /// <summary>
    /// A = Q T Qᵀ with T tridiagonal (diagonal d, off-diagonal e[i] between i and i+1, e[n−1] = 0). Returns Qᵀ
    /// as rows. Step k reflects rows/columns k+1.. with H = I − β v vᵀ chosen so that H·A[k+1.., k] = (α, 0, ..., 0).
    /// </summary>
    private static double[][] Tridiagonalise(double[][] a, out double[] d, out double[] e)
    {
        int n = a.Length;
        d = new double[n];
        e = new double[n];
        var qt = new double[n][];
        for (int i = 0; i < n; i++) { qt[i] = new double[n]; qt[i][i] = 1; }
        var v = new double[n];
        var p = new double[n];
        var u = new double[n];
        for (int k = 0; k + 2 < n; k++)
        {
            int m = n - k - 1, o = k + 1;
            double norm = 0;
            for (int i = 0; i < m; i++) norm += a[o + i][k] * a[o + i][k];
            norm = Math.Sqrt(norm);
            double x0 = a[o][k];
            double alpha = x0 >= 0 ? -norm : norm;
            for (int i = 0; i < m; i++) v[i] = a[o + i][k];
            v[0] -= alpha;
            double vv = 0;
            for (int i = 0; i < m; i++) vv += v[i] * v[i];
            if (vv <= double.Epsilon || norm == 0) { e[k] = x0; continue; } // column already reduced
            double beta = 2 / vv;
            var vs = v.AsSpan(0, m);

            // B ← H B H on the trailing block: p = β B v, w = p − (β/2)(vᵀp) v, B ← B − v wᵀ − w vᵀ.
            for (int i = 0; i < m; i++) p[i] = beta * TensorPrimitives.Dot(a[o + i].AsSpan(o, m), vs);
            double half = 0.5 * beta * TensorPrimitives.Dot(p.AsSpan(0, m), vs);
            for (int i = 0; i < m; i++) p[i] -= half * v[i];
            var ws = p.AsSpan(0, m);
            for (int i = 0; i < m; i++)
            {
                var row = a[o + i].AsSpan(o, m);
                TensorPrimitives.MultiplyAdd(ws, -v[i], row, row);
                TensorPrimitives.MultiplyAdd(vs, -p[i], row, row);
            }
            e[k] = alpha;

            // Qᵀ ← H Qᵀ: only rows o.. change; u = Σ_s v_s Qᵀ[o+s, :], then row r -= β v_r u.
            Array.Clear(u);
            for (int s = 0; s < m; s++) TensorPrimitives.MultiplyAdd(qt[o + s], v[s], u, u);
            for (int r = 0; r < m; r++) TensorPrimitives.MultiplyAdd(u, -beta * v[r], qt[o + r], qt[o + r]);
        }
        for (int i = 0; i < n; i++) d[i] = a[i][i];
        if (n >= 2) e[n - 2] = a[n - 1][n - 2];
        e[n - 1] = 0;
        return qt;
    }

    /// <summary>
    /// Implicit QL with Wilkinson-style shifts on the tridiagonal (d, e), deflating from the top; each plane rotation
    /// (i, i+1) is applied to rows i, i+1 of <paramref name="zt"/> (the eigenvector matrix stored transposed).
    /// </summary>
    private static void Ql(double[] d, double[] e, double[][] zt)
    {
        int n = d.Length;
        // A purely local test |e| <= eps(|d_m| + |d_m+1|) never passes among eigenvalues that are rounding noise
        // (rank-deficient covariance, e.g. fewer samples than features), so, as LAPACK does, an off-diagonal that
        // is negligible against the whole matrix's norm also counts as zero.
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(d[i]) + Math.Abs(e[i]));
        double negligible = 2.220446049250313e-16 * norm;
        for (int l = 0; l < n; l++)
        {
            for (int iteration = 0; ; iteration++)
            {
                int m = l;
                for (; m < n - 1; m++)
                {
                    double scale = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= 1e-15 * scale || Math.Abs(e[m]) <= negligible || Math.Abs(e[m]) < 1e-300) break;
                }
                if (m == l) break;
                if (iteration == 100) throw new InvalidOperationException($"SymmetricEigen: QL did not converge for eigenvalue {l}");

                // Shift from the leading 2x2 block, applied implicitly: start with g = d[m] − shift.
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
                double s = 1, c = 1, p = 0;
                bool underflow = false;
                for (int i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    r = Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        // The chase met an exact zero: split here and restart the sweep.
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    Rotate(zt[i], zt[i + 1], c, s);
                }
                if (underflow) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    /// <summary>(x, y) ← (c·x − s·y, s·x + c·y), elementwise over two rows.</summary>
    private static void Rotate(double[] x, double[] y, double c, double s)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Each lane holds one element of x and the same element of y; the scalar loop below handles the tail.
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x.AsSpan());
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y.AsSpan());
            var cv = new Vector<double>(c);
            var sv = new Vector<double>(s);
            for (int i = 0; i < xv.Length; i++)
            {
                var xi = xv[i];
                var yi = yv[i];
                xv[i] = cv * xi - sv * yi;
                yv[i] = sv * xi + cv * yi;
            }
            k = xv.Length * Vector<double>.Count;
        }
        for (; k < x.Length; k++)
        {
            double xi = x[k], yi = y[k];
            x[k] = c * xi - s * yi;
            y[k] = s * xi + c * yi;
        }
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y) (x, y) = (y, x);
        if (x == 0) return 0;
        double t = y / x;
        return x * Math.Sqrt(1 + t * t);
    }
}
