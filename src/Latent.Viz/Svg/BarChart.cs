using System.Globalization;

namespace Latent.Viz.Svg;

/// <summary>
/// A grouped bar chart (e.g. AUC per dataset, one series per model) rendered as a self-contained SVG string.
/// Bars start at zero; NaN or infinite values leave an empty slot. Values are printed above the bars when
/// there is room.
/// Default size 640 × 360 pixels.
/// </summary>
public sealed class BarChart : Chart
{
    private readonly string[] _categories;
    private readonly List<(string Name, double[] Values)> _series = [];

    /// <summary>A chart with one group of bars per category, in the given order.</summary>
    public BarChart(IReadOnlyList<string> categories) : base(640, 360)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (categories.Count == 0) throw new ArgumentException("BarChart: no categories", nameof(categories));
        _categories = categories.ToArray();
    }

    /// <summary>Adds a series with one value per category.</summary>
    public BarChart AddSeries(string name, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _categories.Length)
            throw new ArgumentException($"BarChart: series '{name}' has {values.Count} values for {_categories.Length} categories", nameof(values));
        _series.Add((name, values.ToArray()));
        return this;
    }

    /// <summary>Renders the chart as an <c>&lt;svg&gt;</c> element (no XML declaration, so it can be inlined in HTML).</summary>
    public string ToSvg()
    {
        var finite = _series.SelectMany(s => s.Values).Where(double.IsFinite).ToList();
        var yAxis = Axis.Linear(Math.Min(0, finite.DefaultIfEmpty(0).Min()), Math.Max(0, finite.DefaultIfEmpty(1).Max()));
        bool legend = _series.Count > 1;
        var frame = Frame(legend ? ChartFrame.LegendWidth(_series.Select(s => s.Name)) : 0);
        frame.Grid(null, yAxis);
        var sb = frame.Body;

        double groupW = (frame.Right - frame.Left) / _categories.Length;
        double barW = groupW * 0.8 / Math.Max(1, _series.Count);
        bool showValues = barW >= 22;
        double zero = frame.Y(yAxis, 0);
        for (int c = 0; c < _categories.Length; c++)
        {
            double gx = frame.Left + c * groupW;
            frame.Text(gx + groupW / 2, frame.Bottom + 16, _categories[c], "middle", "fill=\"#444444\"");
            for (int s = 0; s < _series.Count; s++)
            {
                double v = _series[s].Values[c];
                if (!double.IsFinite(v)) continue;
                double x = gx + groupW * 0.1 + s * barW;
                double y = frame.Y(yAxis, v);
                double top = Math.Min(y, zero), h = Math.Abs(zero - y);
                sb.Append($"<rect x=\"{SvgText.N(x)}\" y=\"{SvgText.N(top)}\" width=\"{SvgText.N(barW * 0.92)}\" height=\"{SvgText.N(h)}\" fill=\"{Palette.Colour(s)}\"><title>{SvgText.Escape($"{_series[s].Name} / {_categories[c]}: {v.ToString("G4", CultureInfo.InvariantCulture)}")}</title></rect>");
                if (showValues)
                    frame.Text(x + barW * 0.46, v >= 0 ? top - 4 : top + h + 12, v.ToString("G3", CultureInfo.InvariantCulture), "middle", "font-size=\"10\" fill=\"#333333\"");
            }
        }
        if (legend) frame.Legend(_series.Select((s, i) => (s.Name, Palette.Colour(i))).ToList());
        return frame.Finish();
    }
}
