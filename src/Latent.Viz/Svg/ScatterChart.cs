using System.Text;
using Latent.Core;

namespace Latent.Viz.Svg;

/// <summary>
/// A scatter plot of 2-D points (latent codes) coloured by integer label with the 10-colour <see cref="Palette"/>,
/// rendered as a self-contained SVG string with a legend. Each label's points are one path of zero-length
/// round-capped segments with coordinates rounded to 0.1 px, so 10,000 points stay around 150 kB.
/// Points with a NaN or infinite coordinate are left out.
/// Default size 560 × 480 pixels.
/// </summary>
public sealed class ScatterChart() : Chart(560, 480)
{
    private readonly List<(double X, double Y, int Label)> _points = [];

    /// <summary>Dot diameter in pixels (default 5).</summary>
    public double PointSize { get; set; } = 5;

    /// <summary>Legend names for labels (e.g. 3 → "cat"); labels without a name are shown as numbers.</summary>
    public IDictionary<int, string> LabelNames { get; } = new Dictionary<int, string>();

    /// <summary>
    /// Labels drawn on top of the others, with dots <see cref="HighlightScale"/> times larger and opaque (e.g. the
    /// anomalies of a labelled table, so a handful of them stay visible among thousands of normal rows).
    /// </summary>
    public ISet<int> Highlight { get; } = new HashSet<int>();

    /// <summary>Size factor of highlighted dots (default 2.5).</summary>
    public double HighlightScale { get; set; } = 2.5;

    /// <summary>Number of points added (including any that are not finite).</summary>
    public int Count => _points.Count;

    /// <summary>Adds points; <paramref name="labels"/> (same length) defaults to all 0.</summary>
    public ScatterChart AddPoints(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"ScatterChart: {x.Count} x values and {y.Count} y values", nameof(y));
        if (labels is not null && labels.Count != x.Count) throw new ArgumentException($"ScatterChart: {x.Count} points and {labels.Count} labels", nameof(labels));
        for (int i = 0; i < x.Count; i++) _points.Add((x[i], y[i], labels?[i] ?? 0));
        return this;
    }

    /// <summary>Adds the rows of <paramref name="points"/> <c>[N, 2]</c> (e.g. a 2-D latent code per sample).</summary>
    public ScatterChart AddPoints(Tensor points, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Rank != 2 || points.Shape[1] != 2)
            throw new ArgumentException($"ScatterChart: points must be [N, 2], got {Shapes.Format(points.Shape)}", nameof(points));
        var v = points.Span;
        int n = points.Shape[0];
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = v[2 * i]; y[i] = v[2 * i + 1]; }
        return AddPoints(x, y, labels);
    }

    /// <summary>Renders the chart as an <c>&lt;svg&gt;</c> element (no XML declaration, so it can be inlined in HTML).</summary>
    public string ToSvg()
    {
        var finite = _points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var xAxis = finite.Count == 0 ? Axis.Linear(0, 1) : Axis.Linear(finite.Min(p => p.X), finite.Max(p => p.X));
        var yAxis = finite.Count == 0 ? Axis.Linear(0, 1) : Axis.Linear(finite.Min(p => p.Y), finite.Max(p => p.Y));
        var labels = finite.Select(p => p.Label).Distinct().Order().ToList();
        string Name(int l) => LabelNames.TryGetValue(l, out var n) ? n : l.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var frame = Frame(ChartFrame.LegendWidth(labels.Select(Name)));
        frame.Grid(xAxis, yAxis);
        var sb = frame.Body;
        if (finite.Count == 0)
            frame.Text((frame.Left + frame.Right) / 2, (frame.Top + frame.Bottom) / 2, "no data", "middle", "fill=\"#888888\"");

        // Highlighted labels last, so they are drawn on top.
        foreach (int label in labels.Where(l => !Highlight.Contains(l)).Concat(labels.Where(Highlight.Contains)))
        {
            bool top = Highlight.Contains(label);
            var d = new StringBuilder();
            foreach (var p in finite)
                if (p.Label == label)
                    d.Append('M').Append(SvgText.N(frame.X(xAxis, p.X))).Append(' ').Append(SvgText.N(frame.Y(yAxis, p.Y))).Append("h0");
            sb.Append($"<path class=\"points\" data-label=\"{label}\" d=\"{d}\" stroke=\"{Palette.Colour(label)}\" stroke-width=\"{SvgText.N(top ? PointSize * HighlightScale : PointSize)}\" stroke-linecap=\"round\" stroke-opacity=\"{(top ? "1" : "0.75")}\" fill=\"none\"/>");
        }
        frame.Legend(labels.Select(l => (Name(l), Palette.Colour(l))).ToList());
        return frame.Finish();
    }
}
