using Latent.Core;
using Latent.Data;
using Latent.Models.Pca;

namespace Latent.Models.Metrics;

/// <summary>
/// An anomaly score for any autoencoder: the negative log-likelihood (up to constants) of the linear-Gaussian latent
/// model fitted around it on normal-ish training rows,
/// <c>s(x) = (z − μ_z)ᵀ C_z⁻¹ (z − μ_z) + ‖x − x̂‖² / σ²</c>, with z = Encode(x) (the mean code for a VAE),
/// x̂ = Reconstruct(x), μ_z and C_z the mean and covariance of the training codes, and σ² the training residual per
/// discarded dimension, Σᵢ‖xᵢ − x̂ᵢ‖² / (n (D − K)). For a linear autoencoder at its optimum this is the score of
/// probabilistic PCA (Tipping &amp; Bishop 1999, "Probabilistic principal component analysis", eq. 4 with W spanning
/// the principal subspace): the code term is the Mahalanobis distance inside the learned subspace — unchanged by any
/// invertible linear map the encoder applies to its code — and the second term is the reconstruction error in units
/// of the residual noise. Plain reconstruction error misses rows that are far from the centre along the learned
/// directions; the code term catches them.
/// </summary>
public sealed class LatentGaussianScore
{
    private readonly IAutoencoder _model;
    private readonly PcaModel _whiten;
    private readonly float[] _lambda;
    private readonly float _floor;

    private LatentGaussianScore(IAutoencoder model, PcaModel whiten, float[] lambda, double residualVariance)
    {
        _model = model;
        _whiten = whiten;
        _lambda = lambda;
        _floor = 1e-6f * Math.Max(lambda[0], 1e-12f);
        ResidualVariance = residualVariance;
    }

    /// <summary>σ²: the training residual per discarded dimension (floored at 1e-12).</summary>
    public double ResidualVariance { get; }

    /// <summary>Variances of the training codes along their principal axes, descending [K].</summary>
    public IReadOnlyList<float> CodeVariances => _lambda;

    /// <summary>
    /// Fits μ_z, C_z and σ² on <paramref name="train"/> (rows normalised like the model's training data). The model is
    /// used as it is (put it in evaluation mode first); a code direction with variance below 1e-6 of the largest is
    /// floored there.
    /// </summary>
    public static LatentGaussianScore Fit(IAutoencoder model, Dataset train, int batchSize = 256)
    {
        Check(model, train, batchSize, "Fit");
        if (train.Count < 2) throw new ArgumentException($"LatentGaussianScore.Fit: dataset '{train.Name}' has {train.Count} row(s), need at least 2", nameof(train));
        int d = train.SampleSize, k = model.CodeSize;
        var (codes, squared) = Pass(model, train, batchSize);
        var whiten = Pca.Pca.Fit(new Dataset($"{train.Name}:codes", codes, [k]), k);
        double sse = squared.Sum(v => (double)v);
        double sigma2 = Math.Max(sse / ((double)train.Count * Math.Max(1, d - k)), 1e-12);
        return new LatentGaussianScore(model, whiten, whiten.ExplainedVariance.ToArray(), sigma2);
    }

    /// <summary>s(x) for every row of <paramref name="data"/>, [Count]; larger = more anomalous.</summary>
    public float[] Score(Dataset data, int batchSize = 256)
    {
        Check(_model, data, batchSize, "Score");
        int k = _model.CodeSize;
        var (codes, squared) = Pass(_model, data, batchSize);
        float[] y;
        using (Tensor.NoGrad()) y = _whiten.Encode(new Tensor(codes, data.Count, k)).ToArray();
        var scores = new float[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            double sum = 0;
            for (int j = 0; j < k; j++) sum += (double)y[i * k + j] * y[i * k + j] / Math.Max(_lambda[j], _floor);
            scores[i] = (float)(sum + squared[i] / ResidualVariance);
        }
        return scores;
    }

    /// <summary>Codes [Count·K] and squared reconstruction errors [Count] in one pass.</summary>
    private static (float[] Codes, float[] Squared) Pass(IAutoencoder model, Dataset data, int batchSize)
    {
        int d = data.SampleSize, k = model.CodeSize;
        var codes = new float[(long)data.Count * k];
        var squared = new float[data.Count];
        int row = 0;
        using (Tensor.NoGrad())
        {
            foreach (var x in Evaluation.Batches(data, batchSize))
            {
                int b = x.Shape[0];
                var z = model.Encode(x);
                if (z.Rank != 2 || z.Shape[1] != k)
                    throw new ArgumentException($"LatentGaussianScore: Encode gave {Shapes.Format(z.Shape)}, expected [{b},{k}]", nameof(model));
                z.Span.CopyTo(codes.AsSpan(row * k, b * k));
                var r = model.Decode(z);
                ReadOnlySpan<float> xs = x.Span, rs = r.Span;
                for (int i = 0; i < b; i++)
                {
                    double s = 0;
                    for (int j = i * d; j < (i + 1) * d; j++) { double e = xs[j] - rs[j]; s += e * e; }
                    squared[row + i] = (float)s;
                }
                row += b;
            }
        }
        return (codes, squared);
    }

    private static void Check(IAutoencoder model, Dataset data, int batchSize, string op) =>
        Evaluation.CheckArguments(model, data, batchSize, $"LatentGaussianScore.{op}");
}
