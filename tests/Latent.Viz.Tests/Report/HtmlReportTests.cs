using System.Text.RegularExpressions;
using Latent.Core;
using Latent.Viz.Images;
using Latent.Viz.Report;
using Latent.Viz.Svg;
using Latent.Viz.Tests.Png;

namespace Latent.Viz.Tests.Report;

public sealed class HtmlReportTests
{
    private static Raster SmallGrid() => ImageGrid.Compose(Tensor.Full(0.5f, 2, 1, 3, 3), new GridOptions { Padding = 1 });

    private static HtmlReport Sample()
    {
        var r = new HtmlReport("<script>alert(1)</script> VAE", "latent run vae --z 16 & more");
        r.AddSection("Configuration")
         .AddKeyValues([new("model", "vae"), new("lr", "1e-3"), new("<b>", "\"quoted\"")], "run configuration")
         .AddParagraph("Line one\nline <two>");
        r.AddSection("Results")
         .AddMetricTable(["MSE", "AUC"], [("ae", [0.0123456, 0.9]), ("vae", [double.NaN, 0.95])], "test set", rowHeader: "model")
         .AddTable(["a", "b"], [["1", "<i>2</i>"]])
         .AddImage(SmallGrid(), "inputs & reconstructions", displayScale: 4)
         .AddSvg(new LineChart { Title = "loss" }.AddSeries("train", [1.0, 0.5]).ToSvg(), "loss curve");
        return r;
    }

    [Fact]
    public void A_png_row_is_one_figure_with_each_image_labelled()
    {
        var png = SmallGrid().ToPng();
        string html = new HtmlReport("t").AddPngRow([(png, "recon <a>"), (png, "samples")], "After epoch 1 & more").ToHtml();
        Assert.Single(Regex.Matches(html, "<figure>"));
        Assert.Equal(2, Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
        Assert.Contains("recon &lt;a&gt;</span>", html);
        Assert.Contains("<figcaption>After epoch 1 &amp; more</figcaption>", html);
        Assert.Throws<ArgumentException>(() => new HtmlReport("t").AddPngRow([(new byte[] { 1, 2, 3 }, "bad")], "x"));
        Assert.Throws<ArgumentException>(() => new HtmlReport("t").AddPngRow([], "x"));
    }

    [Fact]
    public void EscapesAllTextAndHasNoExternalResources()
    {
        string html = Sample().ToHtml();
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; VAE", html);
        Assert.Contains("&lt;b&gt;", html);
        Assert.Contains("&quot;quoted&quot;", html);
        Assert.Contains("&lt;i&gt;2&lt;/i&gt;", html);
        Assert.Contains("line &lt;two&gt;", html);
        Assert.Contains("--z 16 &amp; more", html);
        Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//"), html);
        Assert.DoesNotContain("<link", html);
        Assert.StartsWith("<!DOCTYPE html>", html);
    }

    [Fact]
    public void EmbedsTheImageAsADecodablePngDataUri()
    {
        string html = Sample().ToHtml();
        var m = Regex.Match(html, "<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" alt=\"inputs &amp; reconstructions\" width=\"(\\d+)\"");
        Assert.True(m.Success);
        var grid = SmallGrid();
        Assert.Equal((grid.Width * 4).ToString(), m.Groups[2].Value);
        Assert.Equal(grid.Pixels, PngTestDecoder.Decode(Convert.FromBase64String(m.Groups[1].Value)).Pixels);
    }

    [Fact]
    public void HasSectionsTablesAndInlineSvgInOrder()
    {
        string html = Sample().ToHtml();
        int cfg = html.IndexOf("<h2>Configuration</h2>", StringComparison.Ordinal);
        int res = html.IndexOf("<h2>Results</h2>", StringComparison.Ordinal);
        int svg = html.IndexOf("<svg", StringComparison.Ordinal);
        Assert.True(0 < cfg && cfg < res && res < svg);
        Assert.Equal(2, Regex.Matches(html, "<section>").Count);
        Assert.Equal(2, Regex.Matches(html, "</section>").Count);
        Assert.Contains("<td class=\"num\">0.01235</td>", html);
        Assert.Contains("<td class=\"num\">\u2014</td>", html);
        Assert.Contains("<figcaption>loss curve</figcaption>", html);
    }

    [Fact]
    public void RejectsUnsafeOrMalformedSvgAndNonPng()
    {
        var r = new HtmlReport("t");
        Assert.Throws<ArgumentException>(() => r.AddSvg("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x()</script></svg>", "c"));
        Assert.Throws<ArgumentException>(() => r.AddSvg("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x()\"></svg>", "c"));
        Assert.Throws<ArgumentException>(() => r.AddSvg("<svg><g></svg>", "c"));
        Assert.Throws<ArgumentException>(() => r.AddSvg("<div/>", "c"));
        Assert.Throws<ArgumentException>(() => r.AddPng([1, 2, 3, 4, 5, 6, 7, 8, 9], null, "c"));
        Assert.Throws<ArgumentException>(() => r.AddMetricTable(["a", "b"], [("row", [1.0])]));
    }

    [Fact]
    public void SaveIsAtomicAndLeavesNoTempFile()
    {
        var dir = Directory.CreateTempSubdirectory("latent-report-").FullName;
        try
        {
            var path = Path.Combine(dir, "report.html");
            File.WriteAllText(path, "old");
            var report = Sample();
            report.Save(path);
            Assert.Equal(["report.html"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Equal(report.ToHtml(), File.ReadAllText(path));
        }
        finally { Directory.Delete(dir, true); }
    }
}
