using Latent.Core;
using Latent.Data;

namespace Latent.Models.Metrics;

/// <summary>
/// Disentanglement scores from codes of a dataset with known ground-truth factors (<see cref="Dataset.Factors"/>,
/// e.g. sprites).
/// </summary>
public static class Disentanglement
{
    /// <summary>Equal-width bins per code dimension used by <see cref="Mig(IAutoencoder, Dataset, int, int)"/> by default.</summary>
    public const int DefaultBins = 20;

    /// <summary>
    /// The mutual information gap (Chen, Li, Grosse &amp; Duvenaud 2018, "Isolating Sources of Disentanglement in
    /// Variational Autoencoders", NeurIPS, Eq. 6), with the histogram estimator of Locatello et al. 2019:
    /// MIG = (1/K) Σ_k (1/H(v_k)) (I(z_{j⁽¹⁾}; v_k) − I(z_{j⁽²⁾}; v_k)), where j⁽¹⁾, j⁽²⁾ are the code dimensions with
    /// the largest and second-largest mutual information with factor v_k. Codes are <paramref name="model"/>'s
    /// <see cref="IAutoencoder.Encode"/> (the mean for a VAE), each dimension discretised into
    /// <paramref name="bins"/> equal-width bins over its range. 1 = every factor captured by exactly one dimension;
    /// 0 = none, or every factor shared equally by two dimensions. Factors that never vary are skipped.
    /// </summary>
    public static double Mig(IAutoencoder model, Dataset data, int bins = DefaultBins, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Factors is null || data.FactorSizes is null)
            throw new ArgumentException($"Mig: dataset '{data.Name}' has no ground-truth factors", nameof(data));
        if (!Shapes.Equal(model.InputShape, data.SampleShape))
            throw new ArgumentException($"Mig: dataset '{data.Name}' has samples {Shapes.Format(data.SampleShape)}, the model expects {Shapes.Format(model.InputShape)}", nameof(data));
        if (batchSize <= 0) throw new ArgumentException($"Mig: batch size {batchSize} must be positive", nameof(batchSize));
        int z = model.CodeSize;
        var codes = new float[(long)data.Count * z];
        var index = new int[Math.Min(batchSize, Math.Max(1, data.Count))];
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                int count = Math.Min(batchSize, data.Count - start);
                for (int i = 0; i < count; i++) index[i] = start + i;
                model.Encode(data.Batch(index.AsSpan(0, count))).Span.CopyTo(codes.AsSpan(start * z, count * z));
            }
        }
        var factors = new int[data.Factors.Length];
        for (int i = 0; i < factors.Length; i++) factors[i] = (int)data.Factors[i];
        return Mig(codes, z, factors, data.FactorSizes, bins);
    }

    /// <summary>
    /// MIG from codes [N, Z] (row-major) and discrete factors [N, K] (row-major, entry [i, k] in 0..factorSizes[k]−1);
    /// see <see cref="Mig(IAutoencoder, Dataset, int, int)"/>.
    /// </summary>
    public static double Mig(float[] codes, int codeSize, int[] factors, int[] factorSizes, int bins = DefaultBins)
    {
        var nmi = NormalisedMutualInformation(codes, codeSize, factors, factorSizes, bins);
        int k = factorSizes.Length;
        double sum = 0;
        int used = 0;
        for (int f = 0; f < k; f++)
        {
            if (double.IsNaN(nmi[0, f])) continue; // constant factor: H(v) = 0
            double first = 0, second = 0;
            for (int j = 0; j < codeSize; j++)
            {
                double v = nmi[j, f];
                if (v > first) { second = first; first = v; }
                else if (v > second) second = v;
            }
            sum += first - second;
            used++;
        }
        if (used == 0) throw new ArgumentException("Mig: no factor varies across the samples", nameof(factors));
        return sum / used;
    }

    /// <summary>
    /// I(z_j; v_k) / H(v_k) for every code dimension j and factor k, [Z, K], from codes [N, Z] discretised into
    /// <paramref name="bins"/> equal-width bins per dimension and factors [N, K]; NaN where H(v_k) = 0. Entropies in nats,
    /// plug-in estimates from the empirical joint histogram.
    /// </summary>
    public static double[,] NormalisedMutualInformation(float[] codes, int codeSize, int[] factors, int[] factorSizes, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(factorSizes);
        if (codeSize <= 0) throw new ArgumentException($"Mig: code size {codeSize} must be positive", nameof(codeSize));
        if (bins < 2) throw new ArgumentException($"Mig: bins {bins} must be >= 2", nameof(bins));
        int k = factorSizes.Length;
        if (k == 0 || factorSizes.Any(s => s <= 0)) throw new ArgumentException("Mig: need at least one factor, each with a positive number of values", nameof(factorSizes));
        if (codes.Length % codeSize != 0) throw new ArgumentException($"Mig: {codes.Length} code values are not a multiple of code size {codeSize}", nameof(codes));
        int n = codes.Length / codeSize;
        if (n == 0) throw new ArgumentException("Mig: no samples", nameof(codes));
        if (factors.Length != (long)n * k) throw new ArgumentException($"Mig: {factors.Length} factor values for {n} samples x {k} factors", nameof(factors));
        for (int i = 0; i < factors.Length; i++)
            if ((uint)factors[i] >= (uint)factorSizes[i % k])
                throw new ArgumentException($"Mig: factor {i % k} of sample {i / k} is {factors[i]}, outside 0..{factorSizes[i % k] - 1}", nameof(factors));
        foreach (var c in codes)
            if (!float.IsFinite(c)) throw new ArgumentException("Mig: codes contain NaN or infinity", nameof(codes));

        // Discretise each code dimension into equal-width bins over [min, max].
        var binned = new int[n * codeSize];
        for (int j = 0; j < codeSize; j++)
        {
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            for (int i = 0; i < n; i++) { float v = codes[i * codeSize + j]; min = Math.Min(min, v); max = Math.Max(max, v); }
            double width = (max - min) / (double)bins;
            for (int i = 0; i < n; i++)
                binned[i * codeSize + j] = width > 0 ? Math.Min(bins - 1, (int)((codes[i * codeSize + j] - min) / width)) : 0;
        }

        var result = new double[codeSize, k];
        for (int f = 0; f < k; f++)
        {
            int size = factorSizes[f];
            var pv = new double[size];
            for (int i = 0; i < n; i++) pv[factors[i * k + f]] += 1.0 / n;
            double hv = Entropy(pv);
            for (int j = 0; j < codeSize; j++)
            {
                if (hv <= 1e-12) { result[j, f] = double.NaN; continue; }
                var joint = new double[bins * size];
                var pz = new double[bins];
                for (int i = 0; i < n; i++)
                {
                    int b = binned[i * codeSize + j];
                    joint[b * size + factors[i * k + f]] += 1.0 / n;
                    pz[b] += 1.0 / n;
                }
                // I(z; v) = H(z) + H(v) − H(z, v)
                double mi = Entropy(pz) + hv - Entropy(joint);
                result[j, f] = Math.Clamp(mi / hv, 0, 1); // the plug-in estimates can overshoot by rounding
            }
        }
        return result;
    }

    private static double Entropy(double[] p)
    {
        double h = 0;
        foreach (var q in p) if (q > 0) h -= q * Math.Log(q);
        return h;
    }
}
