using Latent.Core;
using Latent.Data;

namespace Latent.Models.Metrics;

/// <summary>Dataset-level log-likelihood estimates for models that offer one (<see cref="ILikelihoodModel"/>).</summary>
public static class Likelihood
{
    /// <summary>
    /// The importance-sampled negative log-likelihood of <paramref name="data"/> under <paramref name="model"/> with
    /// <paramref name="k"/> samples per input (Burda, Grosse &amp; Salakhutdinov 2016, "Importance Weighted
    /// Autoencoders", ICLR): −log p(x) ≈ −[logsumexp_k (log p(x|z_k) + log p(z_k) − log q(z_k|x)) − log K],
    /// z_k ~ q(z|x), averaged over the samples, in nats per sample. Lower is better; it never exceeds the negative
    /// ELBO in expectation and approaches −log p(x) as K grows (K = 5000 in the paper's evaluations).
    /// </summary>
    /// <param name="model">The model (e.g. a VAE).</param>
    /// <param name="data">Samples shaped like the model's input.</param>
    /// <param name="k">Importance samples per input (≥ 1).</param>
    /// <param name="rng">Source of the samples z_k.</param>
    /// <param name="batchSize">Inputs per forward pass.</param>
    public static double ImportanceSampledNll(ILikelihoodModel model, Dataset data, int k, Rng rng, int batchSize = 100)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        if (k <= 0) throw new ArgumentException($"Likelihood: k {k} must be positive", nameof(k));
        if (batchSize <= 0) throw new ArgumentException($"Likelihood: batch size {batchSize} must be positive", nameof(batchSize));
        if (data.Count == 0) throw new ArgumentException($"Likelihood: dataset '{data.Name}' is empty", nameof(data));
        if (model is IAutoencoder ae && !Shapes.Equal(ae.InputShape, data.SampleShape))
            throw new ArgumentException($"Likelihood: dataset '{data.Name}' has samples {Shapes.Format(data.SampleShape)}, the model expects {Shapes.Format(ae.InputShape)}", nameof(data));
        double sum = 0;
        var index = new int[Math.Min(batchSize, data.Count)];
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, data.Count - start);
            for (int i = 0; i < count; i++) index[i] = start + i;
            sum += model.ImportanceSampledNll(data.Batch(index.AsSpan(0, count)), k, rng) * count;
        }
        return sum / data.Count;
    }

    /// <summary>
    /// The importance-weighted estimate from log-weights log w_bk = log p(x_b|z_k) + log p(z_k) − log q(z_k|x_b)
    /// (row b·K + k of <paramref name="logWeights"/>, K = <paramref name="k"/> per input): the average over inputs of
    /// −(logsumexp_k log w_bk − log K), in double precision.
    /// </summary>
    public static double NegativeLogMeanExp(ReadOnlySpan<double> logWeights, int k)
    {
        if (k <= 0) throw new ArgumentException($"Likelihood: k {k} must be positive", nameof(k));
        if (logWeights.Length % k != 0)
            throw new ArgumentException($"Likelihood: {logWeights.Length} log-weights are not a multiple of k = {k}", nameof(logWeights));
        int batch = logWeights.Length / k;
        if (batch == 0) return 0;
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            var w = logWeights.Slice(b * k, k);
            double max = double.NegativeInfinity;
            foreach (var v in w) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in w) sum += Math.Exp(v - max);
            total -= max + Math.Log(sum) - Math.Log(k);
        }
        return total / batch;
    }
}
