using System.CommandLine;
using Latent.Cli.Serve;

namespace Latent.Cli.Commands;

/// <summary><c>latent serve</c>: the read-only web dashboard of the runs in a folder.</summary>
internal static class ServeCommand
{
    public static Command Build(Func<ParseResult, CliContext> context)
    {
        var dir = new Argument<string>("RUNS_DIR") { Description = "Folder of run folders (or one run folder)", DefaultValueFactory = _ => "runs" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0: a free one)", DefaultValueFactory = _ => 5005 };
        var host = new Option<string>("--host") { Description = "Address to bind (127.0.0.1: this machine only)", DefaultValueFactory = _ => "127.0.0.1" };
        var cmd = new Command("serve",
            "Serve a read-only web dashboard of the runs in RUNS_DIR: live loss curves per term while 'latent train' runs " +
            "(from each run's events.jsonl, else metrics.csv), pictures, configuration, metrics and a comparison of runs. " +
            "Ctrl+C stops it.\n\n" +
            "Examples:\n" +
            "  latent serve runs                    # then open http://127.0.0.1:5005/\n" +
            "  latent serve runs --port 8080\n" +
            "  latent train --out runs/fm --serve   # train and serve the runs beside runs/fm");
        CommonOptions.Add(cmd, dir, port, host);
        cmd.SetAction(Cli.Action(context, (p, ctx) =>
        {
            string root = p.GetValue(dir)!;
            if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"serve: no folder '{root}'");
            if (!System.Net.IPAddress.TryParse(p.GetValue(host), out _)) throw new ArgumentException($"--host '{p.GetValue(host)}': expected an IP address such as 127.0.0.1");
            var server = DashboardServer.StartAsync(root, p.GetValue(host)!, p.GetValue(port), ctx.Hooks.Cancellation).GetAwaiter().GetResult();
            ctx.Err.WriteLine($"dashboard: {server.Url} (runs under {Path.GetFullPath(root)}); Ctrl+C stops it");
            WaitHandle.WaitAny([ctx.Hooks.Cancellation.WaitHandle, server.Stopping.WaitHandle]);
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 0;
        }));
        return cmd;
    }

    /// <summary>Starts the dashboard for <c>train --serve</c>; disposing it stops it.</summary>
    internal static IDisposable StartFor(CliContext ctx, string root, int port)
    {
        var server = DashboardServer.StartAsync(root, "127.0.0.1", port, ctx.Hooks.Cancellation).GetAwaiter().GetResult();
        ctx.Err.WriteLine($"dashboard: {server.Url} (runs under {root})");
        return new Stopper(server);
    }

    private sealed class Stopper(DashboardServer server) : IDisposable
    {
        public void Dispose() => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
