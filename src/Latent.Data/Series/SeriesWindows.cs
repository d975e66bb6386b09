namespace Latent.Data.Series;

/// <summary>
/// Sliding windows over a <see cref="TimeSeries"/>: windows of N steps starting every S steps, each a sample of
/// shape [N, C]. When (T − N) is not a multiple of S one more window is placed at the end (start T − N), so every
/// step is covered. A window is labelled anomalous (1) when any of its steps is. <see cref="StepScores"/> turns
/// per-window scores back into per-step scores: the mean over the windows that cover the step.
/// </summary>
public static class SeriesWindows
{
    /// <summary>
    /// Start steps of the windows of <paramref name="window"/> steps every <paramref name="stride"/> steps over a series
    /// of <paramref name="length"/> steps (the last one aligned with the end); ArgumentException when the window is longer than the series.
    /// </summary>
    public static int[] Starts(int length, int window, int stride, string what = "series")
    {
        if (window < 1) throw new ArgumentException($"--window {window} must be at least 1", nameof(window));
        if (stride < 1) throw new ArgumentException($"--stride {stride} must be at least 1", nameof(stride));
        if (window > length) throw new ArgumentException($"--window {window} is longer than the {what} ({length} steps)", nameof(window));
        var starts = new List<int>();
        for (int s = 0; s + window <= length; s += stride) starts.Add(s);
        if (starts[^1] != length - window) starts.Add(length - window);
        return [.. starts];
    }

    /// <summary>The windows of <paramref name="series"/> as a dataset of samples [window, C], with window labels when the series has labels.</summary>
    public static Dataset Windows(TimeSeries series, int window, int stride, string? name = null) =>
        Windows(series, Starts(series.Length, window, stride, $"series '{series.Name}'"), window, name);

    /// <summary>The windows of <paramref name="series"/> starting at <paramref name="starts"/>, samples [window, C].</summary>
    public static Dataset Windows(TimeSeries series, int[] starts, int window, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(starts);
        int c = series.ColumnCount, per = window * c;
        var x = new float[(long)starts.Length * per];
        int[]? labels = series.Labels is null ? null : new int[starts.Length];
        for (int i = 0; i < starts.Length; i++)
        {
            int s = starts[i];
            if (s < 0 || s + window > series.Length)
                throw new ArgumentException($"SeriesWindows: window [{s}, {s + window}) is outside the {series.Length} steps", nameof(starts));
            Array.Copy(series.Values, (long)s * c, x, (long)i * per, per);
            if (labels is not null)
                for (int t = s; t < s + window; t++)
                    if (series.Labels![t] != 0) { labels[i] = 1; break; }
        }
        return new Dataset(name ?? series.Name, x, [window, c], labels)
            .WithDescription($"{starts.Length} windows of {window} steps x {c} column(s) from {series.Length} steps of '{series.Name}'");
    }

    /// <summary>
    /// Per-step scores [length]: step t gets the mean of <paramref name="windowScores"/>[i] over the windows i with
    /// starts[i] ≤ t &lt; starts[i] + window; a step no window covers gets NaN.
    /// </summary>
    public static float[] StepScores(ReadOnlySpan<float> windowScores, ReadOnlySpan<int> starts, int window, int length)
    {
        if (windowScores.Length != starts.Length)
            throw new ArgumentException($"SeriesWindows.StepScores: {windowScores.Length} scores for {starts.Length} windows", nameof(windowScores));
        var sum = new double[length];
        var count = new int[length];
        for (int i = 0; i < starts.Length; i++)
        {
            int end = Math.Min(length, starts[i] + window);
            for (int t = Math.Max(0, starts[i]); t < end; t++) { sum[t] += windowScores[i]; count[t]++; }
        }
        var result = new float[length];
        for (int t = 0; t < length; t++) result[t] = count[t] == 0 ? float.NaN : (float)(sum[t] / count[t]);
        return result;
    }
}
