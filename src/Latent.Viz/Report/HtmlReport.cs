using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Latent.Core.IO;
using Latent.Viz.Images;

namespace Latent.Viz.Report;

/// <summary>
/// Builds one self-contained <c>report.html</c>: inline CSS, images as <c>data:</c> URIs, SVG charts inline,
/// no external resources. Content is added in order; <see cref="AddSection"/> starts a new section with a
/// heading. All text is HTML-escaped; numbers are shown in a monospace font.
/// </summary>
/// <example>
/// <code>
/// var r = new HtmlReport("VAE on MNIST", "latent run vae --epochs 20");
/// r.AddSection("Configuration").AddKeyValues([new("model", "vae"), new("z", "16")]);
/// r.AddSection("Reconstructions").AddImage(grid, "top: inputs, bottom: reconstructions");
/// r.Save("runs/vae/report.html");
/// </code>
/// </example>
public sealed class HtmlReport
{
    private readonly StringBuilder _body = new();
    private bool _inSection;

    /// <summary>A report with a title and an optional subtitle (shown under the title).</summary>
    public HtmlReport(string title, string? subtitle = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        Title = title;
        Subtitle = subtitle;
    }

    /// <summary>The page title (the &lt;title&gt; and the top heading).</summary>
    public string Title { get; }

    /// <summary>The line under the title, if any.</summary>
    public string? Subtitle { get; }

    /// <summary>Starts a new section with heading <paramref name="heading"/>; later content goes into it.</summary>
    public HtmlReport AddSection(string heading)
    {
        ArgumentNullException.ThrowIfNull(heading);
        CloseSection();
        _body.Append("<section>\n<h2>").Append(E(heading)).Append("</h2>\n");
        _inSection = true;
        return this;
    }

    /// <summary>A paragraph of plain text (escaped; line breaks are kept).</summary>
    public HtmlReport AddParagraph(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _body.Append("<p>").Append(E(text).ReplaceLineEndings("<br>")).Append("</p>\n");
        return this;
    }

    /// <summary>A two-column table of settings (run configuration, dataset facts), in the given order.</summary>
    public HtmlReport AddKeyValues(IEnumerable<KeyValuePair<string, string>> pairs, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _body.Append("<table class=\"kv\">");
        if (caption is not null) _body.Append("<caption>").Append(E(caption)).Append("</caption>");
        _body.Append("<tbody>");
        foreach (var (k, v) in pairs)
            _body.Append("<tr><th scope=\"row\">").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>");
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>
    /// A table of numbers: one row per label (model, dataset, epoch), one column per header. Numbers are
    /// formatted with <paramref name="format"/> (invariant culture), right-aligned, monospace; NaN shows as "—".
    /// </summary>
    public HtmlReport AddMetricTable(IReadOnlyList<string> columns, IEnumerable<(string Label, IReadOnlyList<double> Values)> rows,
        string? caption = null, string format = "G4", string rowHeader = "")
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var table = rows.Select(r =>
        {
            if (r.Values.Count != columns.Count)
                throw new ArgumentException($"HtmlReport: row '{r.Label}' has {r.Values.Count} values for {columns.Count} columns", nameof(rows));
            return (r.Label, Cells: r.Values.Select(v => double.IsNaN(v) ? "\u2014" : v.ToString(format, CultureInfo.InvariantCulture)).ToArray());
        }).ToList();
        _body.Append("<table class=\"metrics\">");
        if (caption is not null) _body.Append("<caption>").Append(E(caption)).Append("</caption>");
        _body.Append("<thead><tr><th>").Append(E(rowHeader)).Append("</th>");
        foreach (var c in columns) _body.Append("<th>").Append(E(c)).Append("</th>");
        _body.Append("</tr></thead><tbody>");
        foreach (var (label, cells) in table)
        {
            _body.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th>");
            foreach (var c in cells) _body.Append("<td class=\"num\">").Append(E(c)).Append("</td>");
            _body.Append("</tr>");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>A table of text cells with a header row; every row must have one cell per column.</summary>
    public HtmlReport AddTable(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder("<table>");
        if (caption is not null) sb.Append("<caption>").Append(E(caption)).Append("</caption>");
        sb.Append("<thead><tr>");
        foreach (var c in columns) sb.Append("<th>").Append(E(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            if (row.Count != columns.Count)
                throw new ArgumentException($"HtmlReport: a row has {row.Count} cells for {columns.Count} columns", nameof(rows));
            sb.Append("<tr>");
            foreach (var cell in row) sb.Append("<td>").Append(E(cell)).Append("</td>");
            sb.Append("</tr>");
        }
        _body.Append(sb).Append("</tbody></table>\n");
        return this;
    }

    /// <summary>
    /// A figure showing <paramref name="image"/> as an embedded PNG with a caption. Small images (image grids of
    /// 28×28 digits) are drawn with crisp, unsmoothed pixels.
    /// </summary>
    /// <param name="image">The picture.</param>
    /// <param name="caption">Text under the picture (also the alt text unless <paramref name="alt"/> is given).</param>
    /// <param name="alt">Alternative text.</param>
    /// <param name="displayScale">CSS scale of the displayed image relative to its pixel size (default 1).</param>
    public HtmlReport AddImage(Raster image, string caption, string? alt = null, int displayScale = 1)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (displayScale < 1) throw new ArgumentOutOfRangeException(nameof(displayScale), $"HtmlReport: displayScale must be at least 1, got {displayScale}");
        return AddPng(image.ToPng(), image.Width * displayScale, caption, alt);
    }

    /// <summary>A figure showing PNG file bytes (embedded as a data URI) with a caption.</summary>
    /// <param name="png">A PNG file.</param>
    /// <param name="displayWidth">Displayed width in CSS pixels (null: natural size, shrunk to fit the page).</param>
    /// <param name="caption">Text under the picture.</param>
    /// <param name="alt">Alternative text (default: the caption).</param>
    public HtmlReport AddPng(byte[] png, int? displayWidth, string caption, string? alt = null)
    {
        ArgumentNullException.ThrowIfNull(png);
        ArgumentNullException.ThrowIfNull(caption);
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Png.PngEncoder.Signature))
            throw new ArgumentException("HtmlReport: the image is not a PNG file (bad signature)", nameof(png));
        _body.Append("<figure><img src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\" alt=\"")
             .Append(E(alt ?? caption)).Append('"');
        if (displayWidth is { } w) _body.Append(" width=\"").Append(w.ToString(CultureInfo.InvariantCulture)).Append('"');
        _body.Append("><figcaption>").Append(E(caption)).Append("</figcaption></figure>\n");
        return this;
    }

    /// <summary>
    /// One figure with several PNG files side by side (a row: e.g. one epoch's reconstruction and sample grids), each
    /// with a short label under it, and a caption for the row.
    /// </summary>
    /// <param name="images">The PNG files and their labels, left to right.</param>
    /// <param name="caption">Text under the row.</param>
    public HtmlReport AddPngRow(IReadOnlyList<(byte[] Png, string Label)> images, string caption)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(caption);
        if (images.Count == 0) throw new ArgumentException("HtmlReport: a row needs at least one image", nameof(images));
        _body.Append("<figure>");
        foreach (var (png, label) in images)
        {
            ArgumentNullException.ThrowIfNull(png);
            if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Png.PngEncoder.Signature))
                throw new ArgumentException($"HtmlReport: the image '{label}' is not a PNG file (bad signature)", nameof(images));
            _body.Append("<span style=\"display:inline-block;margin-right:16px;text-align:center\"><img src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\" alt=\"")
                 .Append(E(label)).Append("\"><br>").Append(E(label)).Append("</span>");
        }
        _body.Append("<figcaption>").Append(E(caption)).Append("</figcaption></figure>\n");
        return this;
    }

    /// <summary>
    /// A figure with an inline SVG chart (from <see cref="Svg.LineChart"/>, <see cref="Svg.ScatterChart"/>,
    /// <see cref="Svg.BarChart"/>) and a caption. The SVG must be well-formed with an &lt;svg&gt; root and
    /// must not contain scripts, event handlers or external references.
    /// </summary>
    public HtmlReport AddSvg(string svg, string caption)
    {
        ArgumentNullException.ThrowIfNull(svg);
        ArgumentNullException.ThrowIfNull(caption);
        CheckSvg(svg);
        _body.Append("<figure class=\"chart\">").Append(svg).Append("<figcaption>").Append(E(caption)).Append("</figcaption></figure>\n");
        return this;
    }

    /// <summary>The complete HTML document.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(E(Title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n<header>\n<h1>")
          .Append(E(Title)).Append("</h1>\n");
        if (Subtitle is not null) sb.Append("<p class=\"subtitle\">").Append(E(Subtitle)).Append("</p>\n");
        sb.Append("</header>\n").Append(_body);
        if (_inSection) sb.Append("</section>\n");
        sb.Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes the report to <paramref name="path"/> atomically (UTF-8).</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllText(path, ToHtml());
    }

    private void CloseSection()
    {
        if (_inSection) _body.Append("</section>\n");
        _inSection = false;
    }

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static void CheckSvg(string svg)
    {
        XElement root;
        try
        {
            root = XElement.Parse(svg);
        }
        catch (XmlException ex)
        {
            throw new ArgumentException($"HtmlReport: the SVG is not well-formed XML ({ex.Message})", nameof(svg), ex);
        }
        if (root.Name.LocalName != "svg") throw new ArgumentException($"HtmlReport: the SVG root is <{root.Name.LocalName}>, expected <svg>", nameof(svg));
        foreach (var el in root.DescendantsAndSelf())
        {
            if (el.Name.LocalName is "script" or "foreignObject" or "image" or "use")
                throw new ArgumentException($"HtmlReport: the SVG contains <{el.Name.LocalName}>, which a self-contained report does not allow", nameof(svg));
            foreach (var a in el.Attributes())
                if (a.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase) || a.Name.LocalName == "href")
                    throw new ArgumentException($"HtmlReport: the SVG has a '{a.Name.LocalName}' attribute, which a self-contained report does not allow", nameof(svg));
        }
    }

    private const string Css = """

        :root { color-scheme: light; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --bg: #ffffff; --alt: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { width: 100%; margin: 0; padding: 24px clamp(12px, 2.5vw, 40px) 64px; }
        header { border-bottom: 1px solid var(--line); margin-bottom: 8px; }
        h1 { font-size: 1.7rem; margin: 0 0 4px; }
        .subtitle { color: var(--muted); margin: 0 0 16px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9rem; overflow-wrap: anywhere; }
        section { display: flex; flex-wrap: wrap; gap: 0 32px; align-items: flex-start; }
        section > * { flex: 1 1 100%; min-width: 0; }
        h2 { font-size: 1.25rem; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        p { max-width: 75ch; }
        table { border-collapse: collapse; margin: 12px 0 20px; font-size: 0.9rem; display: block; overflow-x: auto; max-width: 100%; flex: 0 1 auto; }
        caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
        th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
        thead th { background: var(--alt); }
        tbody tr:nth-child(even) { background: #fbfcfd; }
        table.kv th { background: var(--alt); font-weight: 600; white-space: nowrap; }
        table.kv td, td.num { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        td.num { text-align: right; white-space: nowrap; }
        figure { margin: 16px 0 24px; flex: 0 1 auto; }
        figure img { max-width: 100%; height: auto; image-rendering: pixelated; border: 1px solid var(--line); }
        figure.chart { flex: 1 1 560px; max-width: 960px; }
        figure.chart svg { display: block; width: 100%; height: auto; }
        figcaption { color: var(--muted); font-size: 0.88rem; margin-top: 6px; max-width: 90ch; }
        """;
}
