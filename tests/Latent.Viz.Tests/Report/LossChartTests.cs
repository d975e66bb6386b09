using System.Xml.Linq;
using Latent.Models.Training;
using Latent.Viz.Report;

namespace Latent.Viz.Tests.Report;

public sealed class LossChartTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    private static List<KeyValuePair<string, double>> Terms(params (string Name, double Value)[] terms) =>
        terms.Select(t => new KeyValuePair<string, double>(t.Name, t.Value)).ToList();

    /// <summary>A β-VAE-like history: total = neg_elbo only at β = 1, regularisation = β·kl, a codebook-free model.</summary>
    private static List<EpochMetrics> History(double beta, bool validation, double[]? rates = null) =>
        Enumerable.Range(1, 4).Select(e =>
        {
            double rec = 250.0 / e, kl = 10 + e;
            var train = Terms(("total", rec + beta * kl), ("reconstruction", rec), ("regularisation", beta * kl), ("kl", kl), ("neg_elbo", rec + kl));
            var val = validation ? Terms(("total", rec + 3 + beta * kl), ("reconstruction", rec + 3), ("regularisation", beta * kl), ("kl", kl), ("neg_elbo", rec + 3 + kl)) : null;
            return new EpochMetrics(e, train, val, rates?[e - 1] ?? 1e-3, 1.5);
        }).ToList();

    private static List<string> Series(XElement svg) =>
        svg.Descendants(Ns + "g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string)g.Attribute("data-name")!).ToList();

    private static List<string> Legend(XElement svg) =>
        svg.Descendants(Ns + "g").Where(g => (string?)g.Attribute("class") == "legend").SelectMany(g => g.Elements(Ns + "text")).Select(t => t.Value).ToList();

    [Fact]
    public void Kl_and_loss_get_their_own_charts_and_equal_terms_are_drawn_once()
    {
        var charts = RunReport.LossCharts(History(1, validation: true), "image", "arch=784-20 output=bernoulli");
        Assert.Equal(["loss", "divergence"], charts.Select(c => c.Kind));
        var loss = XElement.Parse(charts[0].Svg);
        Assert.Equal("Loss per image, in nats", loss.Element(Ns + "title")!.Value);
        Assert.Equal(["train total (= neg_elbo)", "val total (= neg_elbo)", "train reconstruction", "val reconstruction"], Series(loss));
        Assert.Equal(Series(loss), Legend(loss));
        var kl = XElement.Parse(charts[1].Svg);
        Assert.Equal("KL divergence per image, in nats: kl (= regularisation)", kl.Element(Ns + "title")!.Value);
        Assert.Equal(["training", "validation"], Legend(kl));
        // Validation dashed, in the training curve's colour.
        var paths = kl.Descendants(Ns + "g").Where(g => (string?)g.Attribute("class") == "series").Select(g => g.Element(Ns + "path")!).ToList();
        Assert.Equal(2, paths.Count);
        Assert.Equal((string)paths[0].Attribute("stroke")!, (string)paths[1].Attribute("stroke")!);
        Assert.Null(paths[0].Attribute("stroke-dasharray"));
        Assert.NotNull(paths[1].Attribute("stroke-dasharray"));
    }

    [Fact]
    public void A_weighted_penalty_is_its_own_chart_and_a_single_series_has_no_legend()
    {
        var charts = RunReport.LossCharts(History(4, validation: false), "row", "output=gaussian");
        Assert.Equal(["loss", "divergence", "penalty"], charts.Select(c => c.Kind));
        var loss = XElement.Parse(charts[0].Svg);
        Assert.Equal("Loss per row (sum of squared errors)", loss.Element(Ns + "title")!.Value);
        Assert.Equal(["train total", "train reconstruction", "train neg_elbo"], Series(loss));
        var kl = XElement.Parse(charts[1].Svg);
        Assert.Equal(["training"], Series(kl));
        Assert.Empty(Legend(kl));
        Assert.Contains("regularisation", XElement.Parse(charts[2].Svg).Element(Ns + "title")!.Value);
    }

    [Fact]
    public void The_learning_rate_is_charted_only_when_it_changes()
    {
        Assert.DoesNotContain(RunReport.LossCharts(History(1, false), "image"), c => c.Kind == "lr");
        var charts = RunReport.LossCharts(History(1, false, [1e-3, 5e-4, 2.5e-4, 1e-5]), "image");
        Assert.Equal("lr", charts[^1].Kind);
        Assert.Equal("Learning rate", XElement.Parse(charts[^1].Svg).Element(Ns + "title")!.Value);
    }

    [Theory]
    [InlineData("kl", "divergence")]
    [InlineData("tc", "divergence")]
    [InlineData("commitment", "penalty")]
    [InlineData("discriminator", "adversarial")]
    [InlineData("perplexity_top", "perplexity")]
    [InlineData("usage", "usage")]
    [InlineData("beta", "schedule")]
    [InlineData("neg_elbo", "loss")]
    [InlineData("something_new", "other")]
    public void Every_term_has_a_kind(string term, string kind) => Assert.Equal(kind, RunReport.LossKind(term));
}
