using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Latent.Models.Runs;

namespace Latent.Cli.Serve;

/// <summary>
/// The read-only web dashboard of <c>latent serve</c> (ASP.NET Core minimal APIs, bound to 127.0.0.1 by default):
/// the page and its bundled assets (uPlot from npm, copied into the build output: no CDN), and a JSON/SSE API over the
/// run folders under a root. <c>GET /api/runs</c>: run names; <c>/api/runs/{run}/history</c>: epoch rows;
/// <c>/api/runs/{run}/events</c>: server-sent events, one per new line of events.jsonl; <c>/api/runs/{run}/details</c>:
/// options, training configuration and metrics; <c>/api/runs/{run}/pictures</c> and <c>/api/runs/{run}/files/{name}</c>.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>Dashboard files in the build output (page, script, style, bundled chart library).</summary>
    public static readonly string AssetFolder = Path.Combine(AppContext.BaseDirectory, "dashboard");

    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["style.css"] = "text/css; charset=utf-8",
        ["uPlot.iife.min.js"] = "text/javascript; charset=utf-8",
        ["uPlot.min.css"] = "text/css; charset=utf-8",
    };

    private readonly WebApplication _app;

    /// <summary>Signalled when the host stops (SIGTERM, or <see cref="DisposeAsync"/>).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>The address the server listens on, e.g. http://127.0.0.1:5005/.</summary>
    public string Url { get; }

    private DashboardServer(WebApplication app, string url) { _app = app; Url = url; }

    /// <summary>Starts serving <paramref name="root"/> on <paramref name="host"/>:<paramref name="port"/> (port 0: a free one).</summary>
    public static async Task<DashboardServer> StartAsync(string root, string host, int port, CancellationToken stopping)
    {
        if (port is < 0 or > 65535) throw new ArgumentException($"--port {port} must be in 0..65535", nameof(port));
        if (!File.Exists(Path.Combine(AssetFolder, "index.html")))
            throw new FileNotFoundException($"serve: the dashboard files are missing from '{AssetFolder}' (the build copies them there)", Path.Combine(AssetFolder, "index.html"));
        var runs = new RunFolders(root);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(host), port));
        var app = builder.Build();

        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/assets/{name}", (string name) => Asset(name));
        app.MapGet("/api/runs", () => Results.Json(runs.Runs()));
        app.MapGet("/api/runs/{*run}", (string run, HttpContext http) => RunApi(runs, run, http, stopping));

        await app.StartAsync(stopping).ConfigureAwait(false);
        var address = app.Urls.First();
        return new DashboardServer(app, address.EndsWith('/') ? address : address + "/");
    }

    private static IResult Asset(string name) =>
        Assets.TryGetValue(name, out var type) && File.Exists(Path.Combine(AssetFolder, name))
            ? Results.File(Path.Combine(AssetFolder, name), type)
            : Results.NotFound();

    // Run names may contain '/', so the action is the last path segment: /api/runs/{run}/{action}[/{file}].
    private static async Task<IResult> RunApi(RunFolders runs, string path, HttpContext http, CancellationToken stopping)
    {
        string? file = null;
        int cut = path.LastIndexOf("/files/", StringComparison.Ordinal);
        if (cut >= 0) { file = path[(cut + 7)..]; path = path[..cut] + "/files"; }
        int slash = path.LastIndexOf('/');
        if (slash <= 0) return Results.NotFound();
        string run = path[..slash], action = path[(slash + 1)..];
        if (runs.Folder(run) is not { } dir) return Results.NotFound();
        switch (action)
        {
            case "history": return Results.Json(runs.History(dir));
            case "details": return Results.Json(RunFolders.Details(dir));
            case "pictures": return Results.Json(RunFolders.Pictures(dir));
            case "files":
                return file is not null && RunFolders.Picture(dir, file) is { } p
                    ? Results.File(p, Path.GetExtension(p).Equals(".svg", StringComparison.OrdinalIgnoreCase) ? "image/svg+xml" : "image/png")
                    : Results.NotFound();
            case "events":
                await StreamEvents(dir, http, stopping).ConfigureAwait(false);
                return Results.Empty;
            default: return Results.NotFound();
        }
    }

    /// <summary>Server-sent events: every complete line appended to events.jsonl (from the byte offset ?from=N), polled twice a second.</summary>
    private static async Task StreamEvents(string dir, HttpContext http, CancellationToken stopping)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var token = both.Token;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        long offset = long.TryParse(http.Request.Query["from"], out long f) ? f : 0;
        string path = Path.Combine(dir, TrainingRunEvents.FileName);
        await http.Response.WriteAsync(": latent events\n\n", token).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(token).ConfigureAwait(false);
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (File.Exists(path))
                {
                    var lines = RunFolders.CompleteLines(path, offset, out long next);
                    foreach (var line in lines)
                        if (RunFolders.Parse(line) is JsonObject) await http.Response.WriteAsync($"data: {line}\n\n", token).ConfigureAwait(false);
                    offset = next;
                    await http.Response.Body.FlushAsync(token).ConfigureAwait(false);
                }
                await Task.Delay(500, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { } // the page closed or the server stops
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
