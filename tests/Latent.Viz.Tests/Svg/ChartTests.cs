using System.Xml.Linq;
using Latent.Core;
using Latent.Viz.Svg;

namespace Latent.Viz.Tests.Svg;

public sealed class ChartTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    private static XElement Parse(string svg)
    {
        var root = XElement.Parse(svg); // throws if not well-formed
        Assert.Equal(Ns + "svg", root.Name);
        return root;
    }

    private static List<string> Texts(XElement root) => root.Descendants(Ns + "text").Select(t => t.Value).ToList();

    [Fact]
    public void LineChartHasSeriesLegendTitleAndLabels()
    {
        var chart = new LineChart { Title = "Loss <train & \"val\">", XLabel = "epoch", YLabel = "loss" };
        chart.AddSeries("train", [1.0, 0.5, 0.3, 0.25]).AddSeries("val", [1.2, 0.7, 0.6, 0.65]);
        var root = Parse(chart.ToSvg());
        var texts = Texts(root);
        Assert.Contains("Loss <train & \"val\">", texts);
        Assert.Contains("epoch", texts);
        Assert.Contains("loss", texts);
        Assert.Contains("train", texts);
        Assert.Contains("val", texts);
        Assert.Equal("Loss <train & \"val\">", root.Element(Ns + "title")!.Value);
        var series = root.Descendants(Ns + "g").Where(g => (string?)g.Attribute("class") == "series").ToList();
        Assert.Equal(["train", "val"], series.Select(g => (string)g.Attribute("data-name")!));
        // One polyline of 4 points per series, in different colours.
        var paths = series.Select(g => g.Element(Ns + "path")!).ToList();
        Assert.All(paths, p => Assert.Equal(4, ((string)p.Attribute("d")!).Count(ch => ch is 'M' or 'L')));
        Assert.NotEqual((string)paths[0].Attribute("stroke")!, (string)paths[1].Attribute("stroke")!);
        // Integral x: ticks at whole epochs only.
        Assert.DoesNotContain("1.5", texts);
    }

    [Fact]
    public void LogAxisLabelsShareOneNotation()
    {
        var texts = Texts(Parse(new LineChart { LogY = true }.AddSeries("lr", [1e-3, 1e-4, 1e-6]).ToSvg()));
        Assert.Contains("1E-3", texts);
        Assert.Contains("1E-6", texts);
        Assert.DoesNotContain("0.001", texts);
    }

    [Fact]
    public void LegendListsOnlyWhatCanBeSeen()
    {
        var chart = new LineChart();
        chart.AddSeries("total", [3.0, 2.0, 1.0]).AddSeries("neg_elbo", [3.0, 2.0, 1.0]).AddSeries("empty", [double.NaN, double.NaN])
             .AddSeries("kl", [0.5, 0.6, 0.7]);
        var root = Parse(chart.ToSvg());
        var legend = root.Descendants(Ns + "g").Single(g => (string?)g.Attribute("class") == "legend").Elements(Ns + "text").Select(t => t.Value).ToList();
        Assert.Equal(["total = neg_elbo", "kl"], legend);
        Assert.Equal(2, root.Descendants(Ns + "g").Count(g => (string?)g.Attribute("class") == "series"));

        var single = Parse(new LineChart().AddSeries("only", [1.0, 2.0]).AddSeries("nothing", [double.NaN, double.NaN]).ToSvg());
        Assert.DoesNotContain(single.Descendants(Ns + "g"), g => (string?)g.Attribute("class") == "legend");
    }

    [Fact]
    public void SeriesCanShareAColourAndBeDashed()
    {
        var chart = new LineChart();
        chart.AddSeries("train", [1.0, 2.0], [3.0, 2.0], colour: 4).AddSeries("val", [1.0, 2.0], [3.5, 2.5], colour: 4, dashed: true);
        var paths = Parse(chart.ToSvg()).Descendants(Ns + "g").Where(g => (string?)g.Attribute("class") == "series").Select(g => g.Element(Ns + "path")!).ToList();
        Assert.All(paths, p => Assert.Equal(Palette.Colour(4), (string)p.Attribute("stroke")!));
        Assert.Null(paths[0].Attribute("stroke-dasharray"));
        Assert.NotNull(paths[1].Attribute("stroke-dasharray"));
    }

    [Fact]
    public void NonFiniteValuesBreakTheLineAndIsolatedPointsBecomeDots()
    {
        var chart = new LineChart();
        chart.AddSeries("s", [1.0, 2.0, double.NaN, 4.0, double.PositiveInfinity, 6.0, 7.0]);
        var root = Parse(chart.ToSvg());
        var g = root.Descendants(Ns + "g").Single(e => (string?)e.Attribute("class") == "series");
        string d = (string)g.Element(Ns + "path")!.Attribute("d")!;
        Assert.Equal(2, d.Count(ch => ch == 'M')); // [1,2] and [6,7]
        Assert.Single(g.Descendants(Ns + "circle")); // the lone point 4
        Assert.DoesNotContain("NaN", chart.ToSvg());
        Assert.DoesNotContain("Infinity", chart.ToSvg());
    }

    [Fact]
    public void SinglePointAndEmptyChartsRender()
    {
        var one = Parse(new LineChart().AddSeries("x", [3.0]).ToSvg());
        Assert.Single(one.Descendants(Ns + "circle"));
        var none = Parse(new LineChart().ToSvg());
        Assert.Contains("no data", Texts(none));
        var allNaN = Parse(new LineChart().AddSeries("n", [double.NaN, double.NaN]).ToSvg());
        Assert.Contains("no data", Texts(allNaN));
    }

    [Fact]
    public void LogAxisUsesDecadesAndDropsNonPositiveValues()
    {
        var chart = new LineChart { LogY = true };
        chart.AddSeries("loss", [100.0, 10.0, 1.0, 0.0, 0.01, -1.0, 0.001]);
        var root = Parse(chart.ToSvg());
        var texts = Texts(root);
        Assert.Contains("100", texts);
        Assert.Contains("1", texts);
        Assert.Contains("0.001", texts);
        var g = root.Descendants(Ns + "g").Single(e => (string?)e.Attribute("class") == "series");
        Assert.Equal(1, ((string)g.Element(Ns + "path")!.Attribute("d")!).Count(ch => ch == 'M'));
        Assert.Equal(2, g.Descendants(Ns + "circle").Count()); // 0.01 and 0.001 are isolated by the gaps
    }

    [Theory]
    [InlineData(0.0, 1.0, "0.0", "1.0")]
    [InlineData(0.13, 0.87, "0.1", "0.9")]
    [InlineData(-3.2, 18.0, "-5", "20")]
    [InlineData(1000.0, 1000.0, "900", "1100")]
    public void LinearTicksAreNice(double lo, double hi, string first, string last)
    {
        var chart = new LineChart();
        chart.AddSeries("s", [0.5, 0.6], [lo, hi]);
        var texts = Texts(Parse(chart.ToSvg()));
        Assert.Contains(first, texts);
        Assert.Contains(last, texts);
    }

    [Fact]
    public void ScatterChartColoursByLabelAndStaysSmallForTenThousandPoints()
    {
        var rng = new Random(7);
        int n = 10_000;
        var pts = new float[2 * n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 10;
            pts[2 * i] = (float)(rng.NextDouble() * 8 - 4 + labels[i]);
            pts[2 * i + 1] = (float)(rng.NextDouble() * 6 - 3);
        }
        var chart = new ScatterChart { Title = "latent space", XLabel = "z0", YLabel = "z1" };
        chart.LabelNames[3] = "cat <3>";
        chart.AddPoints(new Tensor(pts, n, 2), labels);
        string svg = chart.ToSvg();
        Assert.True(svg.Length < 200_000, $"{svg.Length} characters");
        var root = Parse(svg);
        var paths = root.Descendants(Ns + "path").Where(p => (string?)p.Attribute("class") == "points").ToList();
        Assert.Equal(10, paths.Count);
        Assert.Equal(10, paths.Select(p => (string)p.Attribute("stroke")!).Distinct().Count());
        Assert.Equal(n, paths.Sum(p => ((string)p.Attribute("d")!).Count(ch => ch == 'M')));
        Assert.Contains("cat <3>", Texts(root));
        Assert.Contains("9", Texts(root));
    }

    [Fact]
    public void ScatterDrawsHighlightedLabelsLastAndLarger()
    {
        var labels = new[] { 1, 0, 0, 0, 1, 0 };
        var chart = new ScatterChart { PointSize = 3 };
        chart.Highlight.Add(1);
        chart.LabelNames[1] = "anomaly";
        chart.AddPoints([0.0, 1, 2, 3, 4, 5], [0.0, 1, 2, 3, 4, 5], labels);
        var paths = Parse(chart.ToSvg()).Descendants(Ns + "path").Where(p => (string?)p.Attribute("class") == "points").ToList();
        Assert.Equal(["0", "1"], paths.Select(p => (string)p.Attribute("data-label")!));
        Assert.Equal(3.0, double.Parse((string)paths[0].Attribute("stroke-width")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(7.5, double.Parse((string)paths[1].Attribute("stroke-width")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1", (string)paths[1].Attribute("stroke-opacity")!);
        Assert.Contains("anomaly", Texts(Parse(chart.ToSvg())));
    }

    [Fact]
    public void ScatterSkipsNonFinitePoints()
    {
        var chart = new ScatterChart().AddPoints([0.0, double.NaN, 1.0], [0.0, 1.0, double.NegativeInfinity]);
        var root = Parse(chart.ToSvg());
        var path = root.Descendants(Ns + "path").Single(p => (string?)p.Attribute("class") == "points");
        Assert.Equal(1, ((string)path.Attribute("d")!).Count(ch => ch == 'M'));
        Assert.Throws<ArgumentException>(() => new ScatterChart().AddPoints(Tensor.Zeros(4, 3)));
    }

    [Fact]
    public void BarChartDrawsOneBarPerFiniteValue()
    {
        var chart = new BarChart(["mnist", "fashion & co", "cifar"]) { Title = "AUC", YLabel = "AUC" };
        chart.AddSeries("ae", [0.91, 0.85, double.NaN]).AddSeries("vae", [0.95, 0.88, 0.7]);
        var root = Parse(chart.ToSvg());
        var bars = root.Descendants(Ns + "rect").Where(r => r.Element(Ns + "title") is not null).ToList();
        Assert.Equal(5, bars.Count);
        var texts = Texts(root);
        Assert.Contains("fashion & co", texts);
        Assert.Contains("ae", texts);
        Assert.Contains("vae", texts);
        Assert.Contains(bars, b => b.Element(Ns + "title")!.Value == "vae / cifar: 0.7");
        Assert.Throws<ArgumentException>(() => chart.AddSeries("bad", [1.0]));
    }

    [Fact]
    public void ControlCharactersAndLoneSurrogatesDoNotBreakTheXml()
    {
        var chart = new LineChart { Title = "bad\u0001chars\ud800 here" };
        chart.AddSeries("s\u0007", [1.0, 2.0]);
        Parse(chart.ToSvg());
    }

    [Fact]
    public void PaletteWrapsForAnyLabel()
    {
        Assert.Equal(Palette.Colour(3), Palette.Colour(13));
        Assert.Equal(Palette.Colour(9), Palette.Colour(-1));
    }
}
