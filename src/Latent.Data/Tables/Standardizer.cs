using System.Text.Json.Serialization;
using Latent.Core;

namespace Latent.Data.Tables;

/// <summary>
/// Per-feature standardisation z = (x - mean) / std, fitted on the training split only (population std, as
/// scikit-learn's StandardScaler; a feature with std 0 gets std 1 so it maps to 0 and back). Holds two plain
/// arrays so it can be saved beside a model (System.Text.Json round-trips it) and applied to new data.
/// </summary>
public sealed class Standardizer
{
    /// <summary>A standardizer with the given statistics (arrays are copied).</summary>
    [JsonConstructor]
    public Standardizer(float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"Standardizer: {mean.Length} means and {std.Length} stds", nameof(std));
        for (int i = 0; i < std.Length; i++)
            if (!(std[i] > 0) || !float.IsFinite(std[i]) || !float.IsFinite(mean[i]))
                throw new ArgumentException($"Standardizer: feature {i} has mean {mean[i]}, std {std[i]}: expected finite values and std > 0", nameof(std));
        Mean = (float[])mean.Clone();
        Std = (float[])std.Clone();
    }

    /// <summary>Per-feature means [features].</summary>
    public float[] Mean { get; }

    /// <summary>Per-feature standard deviations [features], all positive.</summary>
    public float[] Std { get; }

    /// <summary>Number of features.</summary>
    [JsonIgnore]
    public int Features => Mean.Length;

    /// <summary>Fits mean and std of each element of the samples of <paramref name="train"/> (use the train split only).</summary>
    public static Standardizer Fit(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0) throw new ArgumentException($"Standardizer.Fit: dataset '{train.Name}' is empty", nameof(train));
        int d = train.SampleSize, n = train.Count;
        var sum = new double[d];
        var x = train.X;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) sum[j] += x[i * d + j];
        var mean = new double[d];
        for (int j = 0; j < d; j++) mean[j] = sum[j] / n;
        var sq = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) { double e = x[i * d + j] - mean[j]; sq[j] += e * e; }
        var m = new float[d];
        var s = new float[d];
        for (int j = 0; j < d; j++)
        {
            m[j] = (float)mean[j];
            double std = Math.Sqrt(sq[j] / n);
            s[j] = std > 1e-12 && (float)std > 0 ? (float)std : 1f;
        }
        return new Standardizer(m, s);
    }

    /// <summary>Standardises rows of <see cref="Features"/> values in place.</summary>
    public void TransformInPlace(Span<float> rows)
    {
        Check(rows.Length, "TransformInPlace");
        int d = Features;
        for (int i = 0; i < rows.Length; i++) rows[i] = (rows[i] - Mean[i % d]) / Std[i % d];
    }

    /// <summary>Undoes <see cref="TransformInPlace"/>.</summary>
    public void InverseInPlace(Span<float> rows)
    {
        Check(rows.Length, "InverseInPlace");
        int d = Features;
        for (int i = 0; i < rows.Length; i++) rows[i] = rows[i] * Std[i % d] + Mean[i % d];
    }

    /// <summary>A standardised copy of <paramref name="data"/> (same name, labels and metadata).</summary>
    public Dataset Transform(Dataset data) => Map(data, inverse: false);

    /// <summary>The inverse of <see cref="Transform(Dataset)"/>.</summary>
    public Dataset Inverse(Dataset data) => Map(data, inverse: true);

    /// <summary>A standardised copy of a tensor [B, features] (or any shape whose size is a multiple of the features).</summary>
    public Tensor Transform(Tensor x)
    {
        var copy = x.Detach().Clone();
        TransformInPlace(copy.Span);
        return copy;
    }

    /// <summary>The inverse of <see cref="Transform(Tensor)"/>.</summary>
    public Tensor Inverse(Tensor z)
    {
        var copy = z.Detach().Clone();
        InverseInPlace(copy.Span);
        return copy;
    }

    private Dataset Map(Dataset data, bool inverse)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.SampleSize != Features)
            throw new ArgumentException($"Standardizer: fitted on {Features} features, dataset '{data.Name}' has samples of {data.SampleSize}", nameof(data));
        var all = Enumerable.Range(0, data.Count).ToArray();
        var copy = data.Subset(all);
        if (inverse) InverseInPlace(copy.X); else TransformInPlace(copy.X);
        return copy;
    }

    private void Check(int length, string op)
    {
        if (length % Features != 0)
            throw new ArgumentException($"Standardizer.{op}: {length} values are not rows of {Features} features");
    }
}
