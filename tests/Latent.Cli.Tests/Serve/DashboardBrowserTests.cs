using Latent.Cli.Serve;
using Microsoft.Playwright;

namespace Latent.Cli.Tests.Serve;

/// <summary>The dashboard in a real browser (Playwright driving Debian's Chromium) over a folder with a run in progress.</summary>
public sealed class DashboardBrowserTests
{
    [ChromiumFact]
    public async Task Live_curves_grow_pictures_load_and_two_runs_compare_without_console_errors()
    {
        string root = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(Path.Combine(root, "a"), "--epochs", "3")).Code);
        // The run in progress: each epoch end waits a little, so that the page sees the curve grow.
        using var release = new SemaphoreSlim(0);
        var training = Task.Run(() => CliRunner.Run((p, _) => { if (p.EpochEnd is not null && p.Stage is null) release.Wait(TimeSpan.FromSeconds(20)); },
            CliRunner.TinyTrain(Path.Combine(root, "b"), "--epochs", "5")));

        await using var server = await DashboardServer.StartAsync(root, "127.0.0.1", 0, CancellationToken.None);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Path, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add($"{m.Text} ({m.Location})"); };
        page.PageError += (_, e) => errors.Add(e);

        // Wait for the first epoch line of run b before opening it.
        string events = Path.Combine(root, "b", "events.jsonl");
        for (int i = 0; i < 600 && !(File.Exists(events) && File.ReadAllText(events).Contains("\"type\":\"epoch\"", StringComparison.Ordinal)); i++) await Task.Delay(100);
        await page.GotoAsync(server.Url);
        await page.Locator("#runs a[data-run='b']").ClickAsync();
        var total = page.Locator("#charts .chart[data-term='total']");
        await total.WaitForAsync();
        int before = int.Parse(await total.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(before >= 1);
        release.Release(10); // let the remaining epochs finish
        int after = before;
        for (int i = 0; i < 300 && after < 5; i++)
        {
            await Task.Delay(100);
            after = int.Parse(await total.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        }
        Assert.True(after > before, $"the chart's points did not grow: {before} -> {after}");
        Assert.Equal(5, after);
        Assert.Equal(0, (await training).Code);

        // Pictures of a finished run load.
        await page.Locator("#runs a[data-run='a']").ClickAsync();
        var images = page.Locator("#pictures img");
        await images.First.WaitForAsync();
        Assert.True(await images.CountAsync() >= 2);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#pictures img')].every(i => i.complete && i.naturalWidth > 0)");

        // The comparison view shows both runs.
        await page.Locator("#runs input[data-run='a']").CheckAsync();
        await page.Locator("#runs input[data-run='b']").CheckAsync();
        await page.Locator("#compare").ClickAsync();
        var comparison = page.Locator("#comparison .chart[data-term='total']");
        await comparison.WaitForAsync();
        var labels = await comparison.Locator(".u-series .u-label").AllInnerTextsAsync();
        Assert.Contains("a", labels);
        Assert.Contains("b", labels);

        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "dashboard.png"), FullPage = true });
        Assert.Empty(errors);
    }
}
