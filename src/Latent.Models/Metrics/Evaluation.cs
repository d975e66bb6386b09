using Latent.Core;
using Latent.Data;

namespace Latent.Models.Metrics;

/// <summary>Dataset-level evaluation in batches under no-grad: reconstruction scores, per-sample errors and a model's own loss terms.</summary>
public static class Evaluation
{
    /// <summary>SSE per image, MSE and BCE of <paramref name="model"/>'s reconstructions of <paramref name="data"/>.</summary>
    public static ReconstructionScores Reconstruction(IAutoencoder model, Dataset data, int batchSize = 256)
    {
        Check(model, data, batchSize);
        double sse = 0, bce = 0;
        using (Tensor.NoGrad())
        {
            foreach (var x in Batches(data, batchSize))
            {
                var r = model.Reconstruct(x);
                ReadOnlySpan<float> xs = x.Span, rs = r.Span;
                for (int i = 0; i < xs.Length; i++)
                {
                    double d = xs[i] - rs[i];
                    sse += d * d;
                    double p = Math.Clamp((double)rs[i], 0.0, 1.0); // PCA reconstructions can leave [0,1]
                    double logP = Math.Max(Math.Log(p), -100.0), log1mP = Math.Max(Math.Log(1.0 - p), -100.0);
                    bce -= xs[i] * logP + (1.0 - xs[i]) * log1mP;
                }
            }
        }
        long elements = (long)data.Count * data.SampleSize;
        return new ReconstructionScores(sse / data.Count, sse / elements, bce / elements, data.Count);
    }

    /// <summary>Σᵢ (xᵢ − x̂ᵢ)² for every sample, [Count]: the usual reconstruction-error anomaly score.</summary>
    public static float[] SquaredErrorPerSample(IAutoencoder model, Dataset data, int batchSize = 256)
    {
        Check(model, data, batchSize);
        var scores = new float[data.Count];
        int per = data.SampleSize, k = 0;
        using (Tensor.NoGrad())
        {
            foreach (var x in Batches(data, batchSize))
            {
                var r = model.Reconstruct(x);
                ReadOnlySpan<float> xs = x.Span, rs = r.Span;
                for (int b = 0; b < x.Shape[0]; b++, k++)
                {
                    double s = 0;
                    for (int i = b * per; i < (b + 1) * per; i++) { double d = xs[i] - rs[i]; s += d * d; }
                    scores[k] = (float)s;
                }
            }
        }
        return scores;
    }

    /// <summary>
    /// The model's own loss terms (<see cref="AutoencoderModel.Loss"/>) averaged over <paramref name="data"/>,
    /// weighted by batch size, in evaluation mode, with full regularisation weight. Noise (if the model has any)
    /// comes from <paramref name="rng"/>, by default a fixed stream so repeated evaluations agree.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> AverageLossTerms(AutoencoderModel model, Dataset data, int batchSize = 256, Rng? rng = null)
    {
        Check(model, data, batchSize);
        var ctx = TrainingContext.ForEvaluation(rng ?? new Rng(0x5EEDu));
        var names = new List<string>();
        var sums = new Dictionary<string, double>();
        int start = 0;
        using (model.Evaluating())
        using (Tensor.NoGrad())
        {
            foreach (var x in Batches(data, batchSize))
            {
                var labels = data.Labels?.AsSpan(start, x.Shape[0]).ToArray();
                start += x.Shape[0];
                foreach (var (name, value) in model.Loss(x, ctx with { Labels = labels }).Values())
                {
                    if (!sums.ContainsKey(name)) { names.Add(name); sums[name] = 0; }
                    sums[name] += value * x.Shape[0];
                }
            }
        }
        return names.Select(n => new KeyValuePair<string, double>(n, sums[n] / data.Count)).ToList();
    }

    /// <summary>The dataset in order, as batches [≤batchSize, ...SampleShape].</summary>
    internal static IEnumerable<Tensor> Batches(Dataset data, int batchSize)
    {
        var idx = new int[Math.Min(batchSize, data.Count)];
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, data.Count - start);
            for (int i = 0; i < n; i++) idx[i] = start + i;
            yield return data.Batch(idx.AsSpan(0, n));
        }
    }

    private static void Check(IAutoencoder model, Dataset data, int batchSize) => CheckArguments(model, data, batchSize, "Evaluation");

    /// <summary>The argument checks of the metrics: non-null, batch size ≥ 1, a non-empty dataset whose samples have the model's shape; messages start with <paramref name="caller"/>.</summary>
    internal static void CheckArguments(IAutoencoder model, Dataset data, int batchSize, string caller)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new ArgumentException($"{caller}: batch size {batchSize} must be >= 1", nameof(batchSize));
        if (data.Count == 0) throw new ArgumentException($"{caller}: dataset '{data.Name}' is empty", nameof(data));
        if (!Shapes.Equal(data.SampleShape, model.InputShape))
            throw new ArgumentException($"{caller}: dataset '{data.Name}' has samples {Shapes.Format(data.SampleShape)}, the model expects {Shapes.Format(model.InputShape)}", nameof(data));
    }
}
