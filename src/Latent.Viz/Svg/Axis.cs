using System.Globalization;

namespace Latent.Viz.Svg;

/// <summary>
/// A value range with "nice" tick positions (steps of 1, 2 or 5 × 10^k on a linear axis; decades, plus
/// 2× and 5× when there are few, on a log axis) and their labels.
/// </summary>
internal sealed class Axis
{
    private Axis(double min, double max, bool log, double[] ticks, string[] labels)
    {
        Min = min;
        Max = max;
        Log = log;
        Ticks = ticks;
        Labels = labels;
    }

    public double Min { get; }
    public double Max { get; }
    public bool Log { get; }
    public double[] Ticks { get; }
    public string[] Labels { get; }

    /// <summary>Position of <paramref name="v"/> along the axis, 0 at <see cref="Min"/> and 1 at <see cref="Max"/>.</summary>
    public double Fraction(double v) => Log
        ? (Math.Log10(v) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
        : (v - Min) / (Max - Min);

    /// <summary>True when <paramref name="v"/> can be drawn on this axis (finite, and positive on a log axis).</summary>
    public bool CanShow(double v) => double.IsFinite(v) && (!Log || v > 0);

    /// <summary>A linear axis covering [lo, hi] with about <paramref name="target"/> ticks.</summary>
    /// <param name="lo">Smallest value to show.</param>
    /// <param name="hi">Largest value to show.</param>
    /// <param name="target">Desired number of intervals.</param>
    /// <param name="integral">Steps are at least 1 (epochs, counts).</param>
    public static Axis Linear(double lo, double hi, int target = 6, bool integral = false)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || lo > hi) { lo = 0; hi = 1; }
        // Keep the span finite even for values near ±double.MaxValue.
        lo = Math.Max(lo, -1e300);
        hi = Math.Min(hi, 1e300);
        if (hi == lo)
        {
            double d = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            lo -= d;
            hi += d;
        }
        double step = NiceStep((hi - lo) / target);
        if (integral && step < 1) step = 1;
        double min = Math.Floor(lo / step) * step;
        double max = Math.Ceiling(hi / step) * step;
        int count = (int)Math.Round((max - min) / step) + 1;
        var ticks = new double[count];
        for (int i = 0; i < count; i++)
        {
            double t = min + i * step;
            ticks[i] = Math.Abs(t) < step * 1e-9 ? 0 : t;
        }
        int decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step) + 1e-9), 0, 12);
        bool scientific = Math.Max(Math.Abs(min), Math.Abs(max)) >= 1e6 || step < 1e-4;
        var labels = ticks.Select(t => scientific
            ? t.ToString("0.###E+0", CultureInfo.InvariantCulture)
            : t.ToString("F" + decimals, CultureInfo.InvariantCulture)).ToArray();
        return new Axis(min, max, false, ticks, labels);
    }

    /// <summary>A base-10 log axis covering [lo, hi] (both positive), from decade to decade.</summary>
    public static Axis Logarithmic(double lo, double hi)
    {
        if (!(lo > 0) || !double.IsFinite(lo) || !(hi >= lo) || !double.IsFinite(hi)) { lo = 1; hi = 10; }
        int e0 = (int)Math.Floor(Math.Log10(lo) + 1e-12);
        int e1 = (int)Math.Ceiling(Math.Log10(hi) - 1e-12);
        if (e1 <= e0) e1 = e0 + 1;
        var ticks = new List<double>();
        // Label every decade, or every k-th when there are many; add 2× and 5× inside short ranges.
        int every = Math.Max(1, (int)Math.Ceiling((e1 - e0) / 8.0));
        for (int e = e0; e <= e1; e++)
        {
            double p = Math.Pow(10, e);
            if ((e - e0) % every == 0 || e == e1) ticks.Add(p);
            if (e1 - e0 <= 2 && e < e1) { ticks.Add(2 * p); ticks.Add(5 * p); }
        }
        var arr = ticks.Distinct().Order().ToArray();
        // One notation per axis: all plain decimals, or (when a tick needs it) all with an exponent, never "0.001" beside "1E-4".
        bool scientific = arr.Any(t => t >= 1e5 || t < 1e-3);
        var labels = arr.Select(t => t.ToString(scientific ? "0.#E+0" : "0.###", CultureInfo.InvariantCulture)).ToArray();
        return new Axis(Math.Pow(10, e0), Math.Pow(10, e1), true, arr, labels);
    }

    /// <summary>1, 2 or 5 × 10^k, the smallest at least <paramref name="raw"/>... rounded to the nearest such step.</summary>
    private static double NiceStep(double raw)
    {
        double exp = Math.Floor(Math.Log10(raw));
        double p = Math.Pow(10, exp);
        double f = raw / p;
        double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        return nice * p;
    }
}
