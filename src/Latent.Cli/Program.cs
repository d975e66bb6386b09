namespace Latent.Cli;

/// <summary>Entry point of the <c>latent</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line on the console; Ctrl+C cancels training cleanly (checkpoint, exit code 130).</summary>
    public static int Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cts.IsCancellationRequested) return; // a second Ctrl+C ends the process
            e.Cancel = true;
            cts.Cancel();
        };
        return Cli.Run(args, Console.Out, Console.Error, new CliHooks { Cancellation = cts.Token, Console = true });
    }
}
