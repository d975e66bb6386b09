using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Latent.Viz.Png;

namespace Latent.Cli.Tests;

/// <summary>The content of report.html after real (tiny) runs, read back by parsing the page and its SVG charts.</summary>
public sealed partial class ReportTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static string Html(string dir) => File.ReadAllText(Path.Combine(dir, "report.html"));

    /// <summary>Every inline chart of the page, parsed.</summary>
    private static List<XElement> Charts(string html) =>
        SvgBlock().Matches(html).Select(m => XElement.Parse(m.Value)).ToList();

    private static string Title(XElement svg) => svg.Element(Svg + "title")?.Value ?? "";

    private static List<string> LegendNames(XElement svg) =>
        svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "legend").SelectMany(g => g.Elements(Svg + "text")).Select(t => t.Value).ToList();

    /// <summary>The row headers of the page's tables ("model", "total = neg_elbo", ...).</summary>
    private static List<string> RowHeaders(string html) =>
        RowHeader().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    [Fact]
    public void Vae_report_has_one_chart_per_quantity_with_units_and_no_duplicated_totals()
    {
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run(CliRunner.TinyTrain(dir, "--model", "vae"));
        Assert.True(r.Code == 0, r.Err);
        string html = Html(dir);
        var charts = Charts(html);
        var loss = charts.Single(c => Title(c).StartsWith("Loss per image", StringComparison.Ordinal));
        var kl = charts.Single(c => Title(c).StartsWith("KL divergence per image", StringComparison.Ordinal));
        Assert.Contains("in nats", Title(loss));
        Assert.Contains("in nats", Title(kl));
        // The KL is not on the loss chart's axis, and neg_elbo (= total) and regularisation (= kl) are not drawn twice.
        var lossSeries = loss.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string)g.Attribute("data-name")!).ToList();
        Assert.Equal(["train total (= neg_elbo)", "val total (= neg_elbo)", "train reconstruction", "val reconstruction"], lossSeries);
        Assert.DoesNotContain(charts, c => c.Descendants(Svg + "g").Any(g => (string?)g.Attribute("data-name") is "train neg_elbo" or "train kl" or "train regularisation"));
        Assert.Contains(": kl (= regularisation)", Title(kl));
        Assert.Equal(["training", "validation"], LegendNames(kl));
        // Each legend lists exactly the series drawn.
        Assert.Equal(lossSeries, LegendNames(loss));
        // The metrics table has each quantity once.
        var rows = RowHeaders(html);
        Assert.Contains("total = neg_elbo", rows);
        Assert.Contains("kl = regularisation", rows);
        Assert.DoesNotContain("neg_elbo", rows);
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public void Report_states_one_run_time_the_command_line_states_too()
    {
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run([.. CliRunner.TinyTrain(dir).Where(a => a != "--quiet")]);
        Assert.True(r.Code == 0, r.Err);
        var times = Seconds().Matches(Html(dir)).Select(m => m.Groups[1].Value).ToList();
        Assert.Single(times);
        Assert.Contains($"2 epochs, {times[0]} s of training", r.Out);
        Assert.DoesNotContain("Training took", Html(dir));
        // The data are described once: the description is not repeated as a "read from" line for generated data.
        Assert.Single(Regex.Matches(Html(dir), "generated sprites"));
    }

    [Fact]
    public void Sprite_codes_are_coloured_by_shape_names()
    {
        var dir = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(dir, "--epochs", "1")).Code);
        var codes = Charts(Html(dir)).Single(c => Title(c) == "Test codes");
        Assert.Equal(["square", "ellipse", "heart"], LegendNames(codes));
        Assert.Contains("0 = square, 1 = ellipse, 2 = heart", Html(dir));
        // Markers big enough to see.
        var widths = codes.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "points")
            .Select(p => double.Parse((string)p.Attribute("stroke-width")!, CultureInfo.InvariantCulture));
        Assert.All(widths, w => Assert.True(w >= 5, $"marker {w} px"));
    }

    [Fact]
    public void Folder_classes_are_named_by_their_folders_in_the_report_and_in_encoded_codes()
    {
        var data = CliRunner.TempDir();
        string[] classes = ["circles", "lines", "squares"];
        for (int c = 0; c < classes.Length; c++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(data, classes[c])).FullName;
            for (int i = 0; i < 8; i++)
            {
                var pixels = new byte[64];
                for (int p = 0; p < 64; p++) pixels[p] = (byte)((p * (c + 1) + i * 7) % 256);
                File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), PngEncoder.Encode(8, 8, 1, pixels));
            }
        }
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run("train", "--data", data, "--arch", "64-4", "--epochs", "1", "--batch", "8", "--out", dir, "--quiet");
        Assert.True(r.Code == 0, r.Err);
        string html = Html(dir);
        Assert.Contains("0 = circles, 1 = lines, 2 = squares", html);
        var codes = Charts(html).Single(c => Title(c) == "Test codes");
        Assert.All(LegendNames(codes), name => Assert.Contains(name, classes));

        var csv = Path.Combine(CliRunner.TempDir(), "codes.csv");
        Assert.Equal(0, CliRunner.Run("encode", dir, "--split", "all", "--out", csv).Code);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("z0,z1,z2,z3,label,class", lines[0]);
        Assert.Equal(24, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Equal(classes[int.Parse(l.Split(',')[4], CultureInfo.InvariantCulture)], l.Split(',')[5]));
    }

    [Fact]
    public void Table_labels_are_named_by_their_column_and_values_with_anomalies_on_top()
    {
        var data = Path.Combine(CliRunner.TempDir(), "table.csv");
        var sb = new StringBuilder("a,b,c,y\n");
        var rng = new Random(3);
        for (int i = 0; i < 600; i++)
        {
            bool odd = i % 10 == 7;
            sb.Append(CultureInfo.InvariantCulture, $"{rng.NextDouble() + (odd ? 4 : 0)},{rng.NextDouble()},{rng.NextDouble()},{(odd ? 1 : 0)}\n");
        }
        File.WriteAllText(data, sb.ToString());
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run("train", "--model", "vae", "--data", data, "--label", "y", "--arch", "3-2", "--epochs", "1", "--out", dir, "--quiet");
        Assert.True(r.Code == 0, r.Err);
        string html = Html(dir);
        var codes = Charts(html).Single(c => Title(c) == "Test codes");
        Assert.Equal(["y = 0", "y = 1 (anomaly)"], LegendNames(codes));
        var points = codes.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "points").ToList();
        Assert.Equal("1", (string)points[^1].Attribute("data-label")!); // drawn last: on top
        Assert.Contains(Charts(html), c => Title(c).StartsWith("Loss per row", StringComparison.Ordinal));
        Assert.Contains("the values of column &#39;y&#39;: 0, 1", html);
    }

    [GeneratedRegex("<svg[\\s\\S]*?</svg>")]
    private static partial Regex SvgBlock();

    [GeneratedRegex("<tr><th scope=\"row\">(.*?)</th>")]
    private static partial Regex RowHeader();

    [GeneratedRegex("([0-9]+\\.[0-9]) s of training")]
    private static partial Regex Seconds();
}
