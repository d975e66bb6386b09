using Latent.Core;
using Latent.Data;
using Latent.Models.Contractive;
using Latent.Models.Denoising;

namespace Latent.Models.Metrics;

/// <summary>
/// Measurements of the properties the regularised autoencoders' papers claim, on any model and dataset: denoising and
/// inpainting (DAE), mean code activations (sparse AE), non-zeros per code (k-sparse AE) and the encoder's Jacobian
/// norm (contractive AE). All run in evaluation mode; the model's training mode is restored afterwards.
/// </summary>
public static class ClaimMetrics
{
    /// <summary>
    /// Corrupts every image of <paramref name="data"/> with <paramref name="corruption"/> (noise drawn from a stream seeded
    /// with <paramref name="seed"/>), reconstructs it and compares noisy and restored images with the clean ones.
    /// </summary>
    public static DenoisingScores DenoisingGain(AutoencoderModel model, Dataset data, Corruption corruption, ulong seed = 1, int batchSize = 256)
    {
        Check(model, data, batchSize);
        ArgumentNullException.ThrowIfNull(corruption);
        var rng = new Rng(seed);
        double noisy = 0, restored = 0, clean = 0, noisyC = 0, restoredC = 0;
        long changed = 0;
        int per = data.SampleSize;
        Eval(model, () =>
        {
            foreach (var x in Evaluation.Batches(data, batchSize))
            {
                var xt = corruption.Apply(x, rng);
                ReadOnlySpan<float> xs = x.Span, ns = xt.Span, rs = model.Reconstruct(xt).Span, cs = model.Reconstruct(x).Span;
                for (int i = 0; i < xs.Length; i++)
                {
                    double dn = ns[i] - xs[i], dr = rs[i] - xs[i], dc = cs[i] - xs[i];
                    noisy += dn * dn; restored += dr * dr; clean += dc * dc;
                    if (ns[i] != xs[i]) { noisyC += dn * dn; restoredC += dr * dr; changed++; }
                }
            }
        });
        int n = data.Count;
        return new DenoisingScores(noisy / n, restored / n, clean / n, noisyC / n, restoredC / n, changed / ((double)n * per), n);
    }

    /// <summary>ρ̂_j: the mean of each code unit of <see cref="AutoencoderModel.Encode"/> over <paramref name="data"/>, [Z].</summary>
    public static double[] MeanActivations(AutoencoderModel model, Dataset data, int batchSize = 256)
    {
        Check(model, data, batchSize);
        var sums = new double[model.CodeSize];
        Eval(model, () =>
        {
            foreach (var x in Evaluation.Batches(data, batchSize))
            {
                ReadOnlySpan<float> h = model.Encode(x).Span;
                for (int i = 0; i < h.Length; i++) sums[i % sums.Length] += h[i];
            }
        });
        return sums.Select(s => s / data.Count).ToArray();
    }

    /// <summary>The number of non-zero entries of each sample's code, [Count].</summary>
    public static int[] NonZeroCounts(AutoencoderModel model, Dataset data, int batchSize = 256)
    {
        Check(model, data, batchSize);
        var counts = new int[data.Count];
        int z = model.CodeSize, k = 0;
        Eval(model, () =>
        {
            foreach (var x in Evaluation.Batches(data, batchSize))
            {
                ReadOnlySpan<float> h = model.Encode(x).Span;
                for (int b = 0; b < x.Shape[0]; b++, k++)
                    for (int j = 0; j < z; j++) if (h[b * z + j] != 0f) counts[k]++;
            }
        });
        return counts;
    }

    /// <summary>
    /// Mean over the first min(<paramref name="maxSamples"/>, N) samples of ‖J_f(x)‖²_F, the squared Frobenius norm of the
    /// Jacobian of <see cref="AutoencoderModel.Encode"/>, computed exactly (<see cref="JacobianNorm.Exact"/>: Z backward passes per batch).
    /// </summary>
    public static double JacobianFrobenius(AutoencoderModel model, Dataset data, int maxSamples = 500, int batchSize = 100)
    {
        Check(model, data, batchSize);
        if (maxSamples < 1) throw new ArgumentException($"ClaimMetrics: maxSamples {maxSamples} must be >= 1", nameof(maxSamples));
        int n = Math.Min(maxSamples, data.Count);
        var subset = data.Subset(Enumerable.Range(0, n).ToArray());
        double sum = 0;
        Eval(model, () =>
        {
            foreach (var x in Evaluation.Batches(subset, batchSize))
                sum += JacobianNorm.Exact(model.Encode, x, createGraph: false).PerSample.Sum().Item();
        });
        return sum / n;
    }

    private static void Eval(AutoencoderModel model, Action body)
    {
        using (model.Evaluating()) body();
    }

    private static void Check(AutoencoderModel model, Dataset data, int batchSize) => Evaluation.CheckArguments(model, data, batchSize, "ClaimMetrics");
}
