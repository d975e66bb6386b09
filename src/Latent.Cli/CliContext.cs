using System.CommandLine;

namespace Latent.Cli;

/// <summary>The global options and the writers of one invocation.</summary>
internal sealed class CliContext
{
    public required TextWriter Out { get; init; }
    public required TextWriter Err { get; init; }
    public required CliHooks Hooks { get; init; }
    public string? DataDir { get; init; }
    public int? Threads { get; init; }
    public ulong Seed { get; init; }
    public bool Quiet { get; init; }
    public bool Verbose { get; init; }
    public bool Download { get; init; }

    /// <summary>Draw a live progress bar: the real console, a terminal, not --quiet.</summary>
    public bool Interactive => Hooks.Console && !Quiet && !System.Console.IsOutputRedirected;

    /// <summary>Writes a line unless --quiet.</summary>
    public void Info(string line)
    {
        if (!Quiet) Out.WriteLine(line);
    }

    public static CliContext From(ParseResult p, TextWriter output, TextWriter error, CliHooks hooks) => new()
    {
        Out = output,
        Err = error,
        Hooks = hooks,
        DataDir = p.GetValue(GlobalOptions.DataDir),
        Threads = p.GetValue(GlobalOptions.Threads),
        Seed = p.GetValue(GlobalOptions.Seed),
        Quiet = p.GetValue(GlobalOptions.Quiet),
        Verbose = p.GetValue(GlobalOptions.Verbose),
        Download = p.GetValue(GlobalOptions.Download),
    };
}
