using Latent.Core;
using Latent.Data;

namespace Latent.Models.Dvae;

/// <summary>Evidence for the dVAE's claim that, once τ is annealed, the hard (discrete) codes reconstruct as well as the relaxed ones.</summary>
public static class DvaeEvaluation
{
    /// <summary>
    /// Reconstructs <paramref name="data"/> with soft codes softmax(ℓ/τ) (τ = the model's final temperature unless given)
    /// and with hard codes one_hot(argmax ℓ), and reports both MSEs, their difference and the codebook usage.
    /// </summary>
    public static DvaeHardSoftReport HardVersusSoft(Dvae model, Dataset data, float? temperature = null, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("dvae: HardVersusSoft needs at least one sample", nameof(data));
        if (batchSize < 1) throw new ArgumentException($"dvae: batch size {batchSize} must be >= 1", nameof(batchSize));
        float tau = temperature ?? ((DvaeOptions)model.Options).TemperatureEnd;
        using var _ = Tensor.NoGrad();
        double soft = 0, hard = 0, between = 0;
        var used = new bool[model.Categories];
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, data.Count - start);
            var x = data.Batch(Enumerable.Range(start, n).ToArray());
            var rs = model.Decode(model.EncodeRelaxed(x, tau));
            var rh = model.Decode(model.Encode(x));
            soft += (rs - x).Square().Sum().Item();
            hard += (rh - x).Square().Sum().Item();
            between += (rh - rs).Square().Sum().Item();
            foreach (int k in model.Tokens(x)) used[k] = true;
        }
        double elements = (double)data.Count * data.SampleSize;
        return new DvaeHardSoftReport(data.Count, tau, soft / elements, hard / elements, between / elements,
            used.Count(u => u) / (double)used.Length);
    }
}
