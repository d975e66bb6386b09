using System.Text;

namespace Latent.Viz.Svg;

/// <summary>
/// A line chart of named series (loss curves, metrics per epoch) rendered as a self-contained SVG string:
/// nice ticks, optional log y axis, legend, title and axis labels. NaN and ±∞ (and, on a log axis, values ≤ 0)
/// break a line into separate pieces; a point with no drawable neighbour is drawn as a dot. The legend lists only what
/// can be seen: a series with nothing drawable is left out of it, a series that lies exactly on an earlier one (same
/// points, same style) is not drawn again and is named in that series' entry ("total = neg_elbo"), and a chart with a
/// single visible series has no legend (its title names it).
/// Default size 640 × 360 pixels.
/// </summary>
public sealed class LineChart() : Chart(640, 360)
{
    private readonly List<(string Name, double[] X, double[] Y, int Colour, bool Dashed)> _series = [];

    /// <summary>Base-10 log scale on the y axis.</summary>
    public bool LogY { get; set; }

    /// <summary>The series added so far, in order.</summary>
    public IReadOnlyList<string> SeriesNames => _series.Select(s => s.Name).ToList();

    /// <summary>Adds a series with explicit x values (same length as <paramref name="y"/>).</summary>
    /// <param name="name">Legend name.</param>
    /// <param name="x">X values.</param>
    /// <param name="y">Y values, one per x value.</param>
    /// <param name="colour">Index into <see cref="Palette"/> (default: the series' position), so that related series
    /// (a term's training and validation curves) can share a colour.</param>
    /// <param name="dashed">Draw the line dashed (validation curves beside solid training ones).</param>
    public LineChart AddSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, int? colour = null, bool dashed = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"LineChart: series '{name}' has {x.Count} x values and {y.Count} y values", nameof(y));
        _series.Add((name, x.ToArray(), y.ToArray(), colour ?? _series.Count, dashed));
        return this;
    }

    /// <summary>Adds a series whose x values are 1, 2, ..., n (epochs or steps counted from 1).</summary>
    public LineChart AddSeries(string name, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        return AddSeries(name, Enumerable.Range(1, y.Count).Select(i => (double)i).ToArray(), y);
    }

    /// <summary>Renders the chart as an <c>&lt;svg&gt;</c> element (no XML declaration, so it can be inlined in HTML).</summary>
    public string ToSvg()
    {
        var xs = new List<double>();
        var ys = new List<double>();
        bool integral = true;
        foreach (var (_, x, y, _, _) in _series)
            for (int i = 0; i < x.Length; i++)
            {
                if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]) || (LogY && y[i] <= 0)) continue;
                xs.Add(x[i]);
                ys.Add(y[i]);
                integral &= x[i] == Math.Floor(x[i]);
            }

        var xAxis = xs.Count == 0 ? Axis.Linear(0, 1) : Axis.Linear(xs.Min(), xs.Max(), 6, integral);
        var yAxis = LogY
            ? (ys.Count == 0 ? Axis.Logarithmic(1, 10) : Axis.Logarithmic(ys.Min(), ys.Max()))
            : (ys.Count == 0 ? Axis.Linear(0, 1) : Axis.Linear(ys.Min(), ys.Max()));

        // Which series can be seen, and which lie exactly on an earlier one (those are named in its legend entry instead).
        var points = _series.Select(se => Enumerable.Range(0, se.X.Length)
            .Where(i => xAxis.CanShow(se.X[i]) && yAxis.CanShow(se.Y[i])).Select(i => (se.X[i], se.Y[i])).ToArray()).ToList();
        var legend = new List<(string Name, string Colour, bool Dashed)>();
        var entryOf = new int[_series.Count];
        for (int s = 0; s < _series.Count; s++)
        {
            entryOf[s] = -1;
            if (points[s].Length == 0) continue;
            int same = Enumerable.Range(0, s).FirstOrDefault(t => entryOf[t] >= 0 && _series[t].Dashed == _series[s].Dashed && points[t].SequenceEqual(points[s]), -1);
            if (same >= 0)
            {
                var e = legend[entryOf[same]];
                legend[entryOf[same]] = (e.Name + " = " + _series[s].Name, e.Colour, e.Dashed);
                continue;
            }
            entryOf[s] = legend.Count;
            legend.Add((_series[s].Name, Palette.Colour(_series[s].Colour), _series[s].Dashed));
        }

        var frame = Frame(legend.Count > 1 ? ChartFrame.LegendWidth(legend.Select(e => e.Name)) + 12 : 0);
        frame.Grid(xAxis, yAxis);
        var sb = frame.Body;
        if (xs.Count == 0)
            frame.Text((frame.Left + frame.Right) / 2, (frame.Top + frame.Bottom) / 2, "no data", "middle", "fill=\"#888888\"");

        for (int s = 0; s < _series.Count; s++)
        {
            if (entryOf[s] < 0) continue;
            var (_, x, y, colourIndex, dashed) = _series[s];
            string colour = Palette.Colour(colourIndex);
            var path = new StringBuilder();
            var dots = new StringBuilder();
            int runStart = -1;
            for (int i = 0; i <= x.Length; i++)
            {
                bool ok = i < x.Length && xAxis.CanShow(x[i]) && yAxis.CanShow(y[i]);
                if (ok && runStart < 0) runStart = i;
                if (!ok && runStart >= 0)
                {
                    if (i - runStart == 1)
                        dots.Append($"<circle cx=\"{SvgText.N(frame.X(xAxis, x[runStart]))}\" cy=\"{SvgText.N(frame.Y(yAxis, y[runStart]))}\" r=\"3\"/>");
                    else
                        for (int j = runStart; j < i; j++)
                            path.Append(j == runStart ? 'M' : 'L').Append(SvgText.N(frame.X(xAxis, x[j]))).Append(' ').Append(SvgText.N(frame.Y(yAxis, y[j])));
                    runStart = -1;
                }
            }
            sb.Append($"<g class=\"series\" data-name=\"{SvgText.Escape(legend[entryOf[s]].Name)}\">");
            if (path.Length > 0)
                sb.Append($"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")} stroke-linejoin=\"round\" stroke-linecap=\"round\"/>");
            if (dots.Length > 0) sb.Append($"<g fill=\"{colour}\">{dots}</g>");
            sb.Append("</g>");
        }
        if (legend.Count > 1) frame.LineLegend(legend);
        return frame.Finish();
    }
}
