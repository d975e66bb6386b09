using System.Globalization;
using Latent.Core;
using Latent.Data;
using Latent.Models.Pca;

namespace Latent.Quality.Sections;

/// <summary>
/// Model-free and PCA-based detectors computed on the same splits as the odds section (odds.explore=1): a cheap way to
/// see which score rule the autoencoder should follow. Scores are for the test rows; no labels are used.
/// </summary>
internal static class OddsExplore
{
    public static readonly string[] Names =
    [
        "norm", "pca_mse", "pca_zres", "ppca", "maha_full", "r(norm,pca_mse)", "r(norm,pca_zres)", "r(norm,ppca)",
        "ppca90", "pca90_mse", "r(norm,pca90_mse)",
        "tppca.1", "tppca.25", "tppca.5", "tmaha.25", "tmaha.5", "r(norm,tppca.25)", "r(norm,tppca.5)", "r(norm,tmaha.5)", "r(norm,ppca,tppca.25)",
        "tres.25", "r(norm,tres.25)", "tres.5", "r(norm,tres.5)",
    ];

    /// <summary>
    /// PPCA negative log-likelihood score Σ_{j&lt;k} y_j²/λ_j + ‖r‖²/σ² (k = 0 gives ‖x−μ‖²/σ²; k = all gives the full
    /// Mahalanobis distance with a floor), refitted on the (1−q) fraction of train rows with the lowest score, 3 times.
    /// </summary>
    private static float[] Trimmed(Dataset train, Dataset test, double q, bool full, bool residualOnly = false)
    {
        int d = train.SampleSize;
        var kept = train;
        float[] Score(Dataset fit, Dataset data)
        {
            int m = Math.Min(d, fit.Count);
            var model = Pca.Fit(fit, m);
            var lambda = model.ExplainedVariance.ToArray();
            double total = lambda.Sum(v => (double)v);
            int k = full ? m : Math.Max(1, (int)Math.Round(0.25 * d));
            double dropped = 0;
            for (int j = k; j < m; j++) dropped += lambda[j];
            double sigma2 = Math.Max(dropped / Math.Max(1, d - k), 1e-6 * total / d);
            var y = Project(model, data);
            var mu = model.Mean.ToArray();
            var s = new float[data.Count];
            for (int i = 0; i < data.Count; i++)
            {
                double sq = 0;
                for (int j = 0; j < d; j++) { double v = data.X[i * d + j] - mu[j]; sq += v * v; }
                double acc = 0, inside = 0;
                for (int j = 0; j < k; j++)
                {
                    double yy = (double)y[i * m + j] * y[i * m + j];
                    inside += yy;
                    acc += yy / Math.Max(lambda[j], 1e-6 * total / d);
                }
                acc += Math.Max(sq - inside, 0) / sigma2;
                s[i] = (float)(residualOnly ? Math.Max(sq - inside, 0) : acc);
            }
            return s;
        }
        for (int it = 0; it < 3; it++)
        {
            var sTrain = Score(kept, train);
            int keep = Math.Max(d + 2, (int)Math.Round((1 - q) * train.Count));
            keep = Math.Min(keep, train.Count);
            var idx = Enumerable.Range(0, train.Count).OrderBy(i => sTrain[i]).Take(keep).ToArray();
            kept = train.Subset(idx, "kept");
        }
        return Score(kept, test);
    }

    public static float[][] Scores(Dataset train, Dataset test)
    {
        int d = train.SampleSize;
        int k = Math.Max(1, (int)Math.Round(0.25 * d));
        var full = Pca.Fit(train, Math.Min(d, train.Count));
        var lambda = full.ExplainedVariance.ToArray();
        double total = lambda.Sum(v => (double)v);
        int k90 = 1;
        for (double acc = lambda[0]; k90 < lambda.Length && acc < 0.9 * total; k90++) acc += lambda[k90];
        var y = Project(full, test); // [n, m] all components
        int m = lambda.Length;
        int n = test.Count;
        var norm = new float[n];
        for (int i = 0; i < n; i++) foreach (float v in test.X.AsSpan(i * d, d)) norm[i] += v * v;

        float[] Residual(int kk) // ‖x‖² − Σ_{j<kk} y_j² = squared residual off the top-kk subspace
        {
            var s = new float[n];
            for (int i = 0; i < n; i++)
            {
                double acc = norm[i];
                for (int j = 0; j < kk; j++) acc -= (double)y[i * m + j] * y[i * m + j];
                s[i] = (float)Math.Max(acc, 0);
            }
            return s;
        }
        float[] Ppca(int kk)
        {
            double dropped = 0;
            for (int j = kk; j < m; j++) dropped += lambda[j];
            double sigma2 = Math.Max(dropped / Math.Max(1, d - kk), 1e-6 * total / d);
            var res = Residual(kk);
            var s = new float[n];
            for (int i = 0; i < n; i++)
            {
                double acc = res[i] / sigma2;
                for (int j = 0; j < kk; j++) acc += (double)y[i * m + j] * y[i * m + j] / Math.Max(lambda[j], 1e-12);
                s[i] = (float)acc;
            }
            return s;
        }
        float[] MahaFull()
        {
            double floor = 1e-6 * lambda[0];
            var s = new float[n];
            for (int i = 0; i < n; i++)
            {
                double acc = 0;
                for (int j = 0; j < m; j++) if (lambda[j] > floor) acc += (double)y[i * m + j] * y[i * m + j] / lambda[j];
                s[i] = (float)acc;
            }
            return s;
        }
        float[] Zres(int kk)
        {
            var model = Pca.Fit(train, kk);
            var rTrain = Res(model, train);
            var variance = new double[d];
            for (int i = 0; i < train.Count; i++)
                for (int j = 0; j < d; j++) variance[j] += (double)rTrain[i * d + j] * rTrain[i * d + j] / train.Count;
            double floor = 1e-6 * Math.Max(variance.Average(), 1e-12);
            var rTest = Res(model, test);
            var s = new float[n];
            for (int i = 0; i < n; i++)
            {
                double acc = 0;
                for (int j = 0; j < d; j++) acc += (double)rTest[i * d + j] * rTest[i * d + j] / Math.Max(variance[j], floor);
                s[i] = (float)acc;
            }
            return s;
        }
        var pcaMse = Residual(k);
        var pcaZres = Zres(k);
        var ppca = Ppca(k);
        var pca90 = Residual(k90);
        return
        [
            norm, pcaMse, pcaZres, ppca, MahaFull(), RankMean(norm, pcaMse), RankMean(norm, pcaZres), RankMean(norm, ppca),
            Ppca(k90), pca90, RankMean(norm, pca90),
            .. Extra(train, test, norm, ppca),
        ];
    }

    private static float[][] Extra(Dataset train, Dataset test, float[] norm, float[] ppca)
    {
        var t1 = Trimmed(train, test, 0.1, false);
        var t25 = Trimmed(train, test, 0.25, false);
        var t5 = Trimmed(train, test, 0.5, false);
        var m25 = Trimmed(train, test, 0.25, true);
        var m5 = Trimmed(train, test, 0.5, true);
        var r25 = Trimmed(train, test, 0.25, false, true);
        var r5 = Trimmed(train, test, 0.5, false, true);
        return [t1, t25, t5, m25, m5, RankMean(norm, t25), RankMean(norm, t5), RankMean(norm, m5), RankMean(norm, ppca, t25),
            r25, RankMean(norm, r25), r5, RankMean(norm, r5)];
    }

    public static float[] RankMean(params float[][] members)
    {
        int n = members[0].Length;
        var result = new float[n];
        foreach (var member in members)
        {
            var order = Enumerable.Range(0, n).OrderBy(i => member[i]).ToArray();
            for (int r = 0; r < n; r++) result[order[r]] += (float)(r + 1) / (n * members.Length);
        }
        return result;
    }

    private static float[] Project(PcaModel model, Dataset data)
    {
        using (Tensor.NoGrad()) return model.Encode(new Tensor((float[])data.X.Clone(), data.Count, data.SampleSize)).ToArray();
    }

    private static float[] Res(PcaModel model, Dataset data)
    {
        using (Tensor.NoGrad())
        {
            var x = new Tensor((float[])data.X.Clone(), data.Count, data.SampleSize);
            var r = model.Reconstruct(x).ToArray();
            var result = new float[r.Length];
            for (int i = 0; i < r.Length; i++) result[i] = data.X[i] - r[i];
            return result;
        }
    }

    public static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
