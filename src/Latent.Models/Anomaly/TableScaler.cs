using System.Text.Json.Serialization;
using Latent.Models.Metrics;

namespace Latent.Models.Anomaly;

/// <summary>
/// Scale-aware standardisation of table features, z_j = (x_j − c_j) / s_j, fitted on training rows only. "standard":
/// c = mean, s = population std (scikit-learn's StandardScaler). "robust": c = median, s = IQR/1.349 (the std of a
/// normal with that interquartile range; the std where the IQR is 0). Either way every scale is floored at
/// <c>floor</c> × the median scale over the features, so a near-constant feature (a pixel that is almost always 0)
/// cannot turn one unusual value into a score that outweighs every other feature; a feature constant in the
/// training rows gets that floor too (or 1 when every feature is constant).
/// </summary>
public sealed class TableScaler
{
    /// <summary>A scaler with the given statistics (arrays are copied); every scale must be positive and finite.</summary>
    [JsonConstructor]
    public TableScaler(float[] center, float[] scale)
    {
        ArgumentNullException.ThrowIfNull(center);
        ArgumentNullException.ThrowIfNull(scale);
        if (center.Length == 0 || center.Length != scale.Length)
            throw new ArgumentException($"TableScaler: {center.Length} centers and {scale.Length} scales", nameof(scale));
        for (int j = 0; j < scale.Length; j++)
            if (!(scale[j] > 0) || !float.IsFinite(scale[j]) || !float.IsFinite(center[j]))
                throw new ArgumentException($"TableScaler: feature {j} has center {center[j]}, scale {scale[j]}: expected finite values and scale > 0", nameof(scale));
        Center = (float[])center.Clone();
        Scale = (float[])scale.Clone();
    }

    /// <summary>Per-feature centers c [d].</summary>
    public float[] Center { get; }

    /// <summary>Per-feature scales s [d], all positive.</summary>
    public float[] Scale { get; }

    /// <summary>Number of features d.</summary>
    [JsonIgnore]
    public int Features => Center.Length;

    /// <summary>
    /// Fits on <paramref name="rows"/> ([n·d] row-major): <paramref name="mode"/> "standard" or "robust", scales
    /// floored at <paramref name="floor"/> × the median scale (0 = only constant features are floored, to 1).
    /// </summary>
    public static TableScaler Fit(ReadOnlySpan<float> rows, int features, string mode = "standard", double floor = 0.1)
    {
        if (features <= 0) throw new ArgumentException($"TableScaler.Fit: features {features} must be positive", nameof(features));
        if (rows.Length == 0 || rows.Length % features != 0)
            throw new ArgumentException($"TableScaler.Fit: {rows.Length} values are not a non-empty whole number of rows of {features} features", nameof(rows));
        if (mode is not ("standard" or "robust")) throw new ArgumentException($"TableScaler.Fit: mode '{mode}': expected standard or robust", nameof(mode));
        if (!(floor >= 0) || !double.IsFinite(floor)) throw new ArgumentException($"TableScaler.Fit: floor {floor} must be a finite number ≥ 0", nameof(floor));
        int n = rows.Length / features;
        var center = new float[features];
        var raw = new double[features];
        var column = new double[n];
        for (int j = 0; j < features; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) { column[i] = rows[i * features + j]; sum += column[i]; }
            double mean = sum / n, sq = 0;
            for (int i = 0; i < n; i++) sq += (column[i] - mean) * (column[i] - mean);
            double std = Math.Sqrt(sq / n);
            if (mode == "standard")
            {
                center[j] = (float)mean;
                raw[j] = std;
            }
            else
            {
                Array.Sort(column);
                center[j] = (float)AnomalyMetrics.Quantile<double>(column, 0.5);
                double iqr = (AnomalyMetrics.Quantile<double>(column, 0.75) - AnomalyMetrics.Quantile<double>(column, 0.25)) / 1.349;
                raw[j] = iqr > 0 ? iqr : std;
            }
        }
        var positive = raw.Where(s => s > 1e-12).OrderBy(s => s).ToArray();
        double typical = positive.Length == 0 ? 1 : positive[positive.Length / 2];
        double minimum = floor > 0 ? floor * typical : typical;
        var scale = new float[features];
        for (int j = 0; j < features; j++)
        {
            double s = raw[j] > 1e-12 ? Math.Max(raw[j], floor * typical) : minimum;
            scale[j] = (float)s > 0 ? (float)s : 1f;
        }
        return new TableScaler(center, scale);
    }

    /// <summary>(x − c)/s for every row of <paramref name="rows"/> ([n·d] row-major), into a new array.</summary>
    public float[] Transform(ReadOnlySpan<float> rows)
    {
        if (rows.Length % Features != 0)
            throw new ArgumentException($"TableScaler.Transform: {rows.Length} values are not a whole number of rows of {Features} features", nameof(rows));
        var result = new float[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int j = i % Features;
            result[i] = (rows[i] - Center[j]) / Scale[j];
        }
        return result;
    }
}
