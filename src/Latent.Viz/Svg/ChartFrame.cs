using System.Text;

namespace Latent.Viz.Svg;

/// <summary>Shared drawing for the charts: the svg element, title, plot rectangle, grid, ticks, axis labels, legend.</summary>
internal sealed class ChartFrame
{
    public const int FontSize = 12;

    private readonly StringBuilder _sb = new();

    public ChartFrame(int width, int height, string? title, string? xLabel, string? yLabel, int legendWidth)
    {
        if (width < 120) throw new ArgumentOutOfRangeException(nameof(width), $"Chart: width must be at least 120, got {width}");
        if (height < 100) throw new ArgumentOutOfRangeException(nameof(height), $"Chart: height must be at least 100, got {height}");
        Width = width;
        Height = height;
        Left = 64;
        Right = width - 16 - legendWidth;
        Top = string.IsNullOrEmpty(title) ? 16 : 40;
        Bottom = height - (string.IsNullOrEmpty(xLabel) ? 32 : 52);
        _sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" ")
           .Append($"font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"{FontSize}\" role=\"img\">");
        _sb.Append($"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        if (!string.IsNullOrEmpty(title))
        {
            _sb.Append($"<title>{SvgText.Escape(title)}</title>");
            Text(width / 2.0, 24, title, "middle", "font-size=\"15\" font-weight=\"600\"");
        }
        if (!string.IsNullOrEmpty(xLabel)) Text((Left + Right) / 2.0, height - 12, xLabel, "middle", null);
        if (!string.IsNullOrEmpty(yLabel))
            _sb.Append($"<text x=\"16\" y=\"{SvgText.N((Top + Bottom) / 2.0)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {SvgText.N((Top + Bottom) / 2.0)})\">{SvgText.Escape(yLabel)}</text>");
    }

    public int Width { get; }
    public int Height { get; }
    public double Left { get; }
    public double Right { get; }
    public double Top { get; }
    public double Bottom { get; }

    public double X(Axis a, double v) => Left + a.Fraction(v) * (Right - Left);
    public double Y(Axis a, double v) => Bottom - a.Fraction(v) * (Bottom - Top);

    public StringBuilder Body => _sb;

    public void Text(double x, double y, string text, string anchor, string? extra) =>
        _sb.Append($"<text x=\"{SvgText.N(x)}\" y=\"{SvgText.N(y)}\" text-anchor=\"{anchor}\"{(extra is null ? "" : " " + extra)}>{SvgText.Escape(text)}</text>");

    /// <summary>Horizontal grid lines with y tick labels, and (when <paramref name="x"/> is given) vertical ones with x labels.</summary>
    public void Grid(Axis? x, Axis y)
    {
        _sb.Append("<g stroke=\"#e5e5e5\" stroke-width=\"1\">");
        foreach (double t in y.Ticks) _sb.Append($"<line x1=\"{SvgText.N(Left)}\" x2=\"{SvgText.N(Right)}\" y1=\"{SvgText.N(Y(y, t))}\" y2=\"{SvgText.N(Y(y, t))}\"/>");
        if (x is not null)
            foreach (double t in x.Ticks) _sb.Append($"<line x1=\"{SvgText.N(X(x, t))}\" x2=\"{SvgText.N(X(x, t))}\" y1=\"{SvgText.N(Top)}\" y2=\"{SvgText.N(Bottom)}\"/>");
        _sb.Append("</g><g fill=\"#444444\">");
        for (int i = 0; i < y.Ticks.Length; i++) Text(Left - 6, Y(y, y.Ticks[i]) + 4, y.Labels[i], "end", null);
        if (x is not null)
            for (int i = 0; i < x.Ticks.Length; i++) Text(X(x, x.Ticks[i]), Bottom + 16, x.Labels[i], "middle", null);
        _sb.Append("</g>");
        _sb.Append($"<path d=\"M{SvgText.N(Left)} {SvgText.N(Top)}V{SvgText.N(Bottom)}H{SvgText.N(Right)}\" fill=\"none\" stroke=\"#888888\"/>");
    }

    /// <summary>A legend to the right of the plot: a colour swatch and the escaped name per entry.</summary>
    public void Legend(IReadOnlyList<(string Name, string Colour)> entries)
    {
        if (entries.Count == 0) return;
        double x = Right + 12;
        _sb.Append("<g class=\"legend\">");
        for (int i = 0; i < entries.Count; i++)
        {
            double y = Top + 8 + i * 18;
            _sb.Append($"<rect x=\"{SvgText.N(x)}\" y=\"{SvgText.N(y - 9)}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{entries[i].Colour}\"/>");
            string name = entries[i].Name.Length > 40 ? entries[i].Name[..39] + "\u2026" : entries[i].Name;
            Text(x + 18, y + 1, name, "start", null);
        }
        _sb.Append("</g>");
    }

    /// <summary>A legend to the right of the plot for line series: a short line (dashed where the series is) and the name per entry.</summary>
    public void LineLegend(IReadOnlyList<(string Name, string Colour, bool Dashed)> entries)
    {
        if (entries.Count == 0) return;
        double x = Right + 12;
        _sb.Append("<g class=\"legend\">");
        for (int i = 0; i < entries.Count; i++)
        {
            double y = Top + 8 + i * 18;
            _sb.Append($"<line x1=\"{SvgText.N(x)}\" x2=\"{SvgText.N(x + 20)}\" y1=\"{SvgText.N(y - 3)}\" y2=\"{SvgText.N(y - 3)}\" stroke=\"{entries[i].Colour}\" stroke-width=\"2.5\"{(entries[i].Dashed ? " stroke-dasharray=\"5 3\"" : "")}/>");
            string name = entries[i].Name.Length > 40 ? entries[i].Name[..39] + "\u2026" : entries[i].Name;
            Text(x + 26, y + 1, name, "start", null);
        }
        _sb.Append("</g>");
    }

    /// <summary>Width to reserve for a legend holding <paramref name="names"/> (a rough 7 px per character).</summary>
    public static int LegendWidth(IEnumerable<string> names)
    {
        int longest = names.Select(n => n.Length).DefaultIfEmpty(-1).Max();
        return longest < 0 ? 0 : 30 + Math.Min(longest, 40) * 7;
    }

    public string Finish() => _sb.Append("</svg>").ToString();
}
