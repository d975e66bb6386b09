using Latent.Core;
using Latent.Data;
using Latent.Models.Metrics;

namespace Latent.Models.Runs;

/// <summary>The numbers <c>latent eval</c> reports: reconstruction scores, the model's own loss terms and (when the model supports it) the importance-sampled NLL.</summary>
public static class ModelEvaluation
{
    /// <summary>
    /// <see cref="Reconstruction"/>'s metrics (images: sse_per_image, mse, bce; tables: sse_per_row, mse, and per-feature
    /// errors with <paramref name="perFeature"/>), then every loss term of the model on <paramref name="data"/>
    /// ("loss_" + name), then "nll" when <paramref name="nllSamples"/> &gt; 0 and the model is an
    /// <see cref="ILikelihoodModel"/>; ArgumentException when NLL is asked of a model that cannot estimate it.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Evaluate(AutoencoderModel model, Dataset data, int nllSamples = 0, int batchSize = 256, bool perFeature = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (nllSamples < 0) throw new ArgumentException($"--nll-samples {nllSamples} must be >= 0", nameof(nllSamples));
        var list = new List<KeyValuePair<string, double>>(Reconstruction(model, data, perFeature, batchSize));
        foreach (var (k, v) in Evaluation.AverageLossTerms(model, data, batchSize)) list.Add(new("loss_" + k, v));
        if (nllSamples > 0)
        {
            if (model is not ILikelihoodModel lik)
                throw new ArgumentException($"--nll-samples: model '{model.Name}' cannot estimate the log-likelihood (it does not implement ILikelihoodModel)", nameof(nllSamples));
            using (model.Evaluating()) list.Add(new("nll", Likelihood.ImportanceSampledNll(lik, data, nllSamples, new Rng(0x4E11u), batchSize)));
        }
        return list;
    }

    /// <summary>True for table data: every sample is a vector [d] (images are [C, H, W] or [H, W]).</summary>
    public static bool IsTable(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.SampleShape.Length == 1;
    }

    /// <summary>
    /// Reconstruction metrics that fit the data. Images: samples, sse_per_image, mse, bce. Tables (<see cref="IsTable"/>):
    /// samples, sse_per_row (Σⱼ (xⱼ − x̂ⱼ)² averaged over rows), mse (the per-row mean squared error averaged over rows),
    /// mse_row_median and mse_row_max (of the per-row MSE), and with <paramref name="perFeature"/> feature_j_mse for
    /// every feature j (that column's mean squared error); no BCE, which means nothing on standardised features.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Reconstruction(IAutoencoder model, Dataset data, bool perFeature = false, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (!IsTable(data))
        {
            if (perFeature) throw new ArgumentException($"--per-feature: data '{data.Name}' is not a table (samples {Shapes.Format(data.SampleShape)})", nameof(perFeature));
            var r = Evaluation.Reconstruction(model, data, batchSize);
            return [new("samples", data.Count), new("sse_per_image", r.SsePerImage), new("mse", r.Mse), new("bce", r.Bce)];
        }
        if (batchSize < 1) throw new ArgumentException($"batch size {batchSize} must be positive", nameof(batchSize));
        if (data.Count == 0) throw new ArgumentException($"data '{data.Name}' has no rows", nameof(data));
        int d = data.SampleSize, n = data.Count;
        var rowMse = new double[n];
        var featureSse = new double[d];
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < n; start += batchSize)
            {
                int count = Math.Min(batchSize, n - start);
                var x = data.Batch(Enumerable.Range(start, count).ToArray());
                var rec = model.Reconstruct(x);
                ReadOnlySpan<float> xs = x.Span, rs = rec.Span;
                for (int i = 0; i < count; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < d; j++)
                    {
                        double e = xs[i * d + j] - rs[i * d + j];
                        sum += e * e;
                        featureSse[j] += e * e;
                    }
                    rowMse[start + i] = sum / d;
                }
            }
        }
        var sorted = rowMse.Order().ToArray();
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        var list = new List<KeyValuePair<string, double>>
        {
            new("samples", n), new("sse_per_row", rowMse.Average() * d), new("mse", rowMse.Average()),
            new("mse_row_median", median), new("mse_row_max", sorted[^1]),
        };
        if (perFeature)
            for (int j = 0; j < d; j++) list.Add(new($"feature_{j}_mse", featureSse[j] / n));
        return list;
    }
}
