using System.CommandLine;
using Latent.Cli.Commands;

namespace Latent.Cli;

/// <summary>
/// The <c>latent</c> command line, runnable in-process: parse → call the library → exit code. Exit codes: 0 success,
/// 1 a user error (one line on stderr), 2 a command-line usage error, 3 an unexpected error, 130 training cancelled.
/// </summary>
public static class Cli
{
    /// <summary>Runs <paramref name="args"/> writing to <paramref name="output"/> and <paramref name="error"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, new CliHooks());

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter)"/> with host hooks (Ctrl+C, console, test hooks).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CliHooks hooks)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(hooks);
        var root = BuildRoot(output, error, hooks);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string command = parsed.CommandResult.Command is RootCommand ? "" : parsed.CommandResult.Command.Name + " ";
            string message = string.Join(' ', parsed.Errors[0].Message.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
            error.WriteLine($"latent: {message} (see 'latent {command}--help')");
            return ErrorReporter.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The command tree.</summary>
    internal static RootCommand BuildRoot(TextWriter output, TextWriter error, CliHooks hooks)
    {
        var root = new RootCommand(
            "latent: train, evaluate and use autoencoders (plain, denoising, sparse, VAE, VQ-VAE, ...) on a CPU.\n\n" +
            "Examples:\n" +
            "  latent train --out runs/demo                       # default model on generated sprites, with report.html\n" +
            "  latent train --model ae --data mnist --code 30 --epochs 20 --out runs/mnist\n" +
            "  latent eval runs/mnist --split test\n" +
            "  latent models");
        GlobalOptions.AddTo(root);
        Func<ParseResult, CliContext> context = p => CliContext.From(p, output, error, hooks);
        root.Subcommands.Add(TrainCommand.Build(context));
        root.Subcommands.Add(EvalCommand.Build(context));
        root.Subcommands.Add(PictureCommands.Reconstruct(context));
        root.Subcommands.Add(PictureCommands.Sample(context));
        root.Subcommands.Add(PictureCommands.Interpolate(context));
        root.Subcommands.Add(PictureCommands.Traverse(context));
        root.Subcommands.Add(PictureCommands.Denoise(context));
        root.Subcommands.Add(FiltersCommand.Build(context));
        root.Subcommands.Add(AttributesCommand.Build(context));
        root.Subcommands.Add(InpaintCommand.Build(context));
        root.Subcommands.Add(CompressCommands.Compress(context));
        root.Subcommands.Add(CompressCommands.Decompress(context));
        root.Subcommands.Add(UpscaleCommand.Build(context));
        root.Subcommands.Add(EncodeCommand.Build(context));
        root.Subcommands.Add(AnomalyCommand.Build(context));
        root.Subcommands.Add(BaselineCommands.Pca(context));
        root.Subcommands.Add(BaselineCommands.Compare(context));
        root.Subcommands.Add(InfoCommands.Models(context));
        root.Subcommands.Add(InfoCommands.Info(context));
        root.Subcommands.Add(RolloutCommand.Build(context));
        root.Subcommands.Add(ExportCommand.Build(context));
        root.Subcommands.Add(ImportCommand.Build(context));
        root.Subcommands.Add(ServeCommand.Build(context));
        return root;
    }

    /// <summary>Wraps a command body: exceptions become one line and an exit code.</summary>
    internal static Func<ParseResult, int> Action(Func<ParseResult, CliContext> context, Func<ParseResult, CliContext, int> body) => p =>
    {
        var ctx = context(p);
        bool allowed = Latent.Data.Named.DataOptions.AllowDownloadInCurrentFlow;
        try
        {
            // --download reaches every data request of this command without passing a flag down.
            Latent.Data.Named.DataOptions.AllowDownloadInCurrentFlow = ctx.Download;
            if (ctx.Threads is int t)
            {
                if (t < 1) throw new ArgumentException($"--threads {t} must be >= 1");
                Latent.Core.Parallelism.MaxDegree = t;
            }
            return body(p, ctx);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, ctx);
        }
        finally
        {
            Latent.Data.Named.DataOptions.AllowDownloadInCurrentFlow = allowed;
        }
    };
}
