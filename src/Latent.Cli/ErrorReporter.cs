using Latent.Core.IO;
using Latent.Data;
using Latent.Models.Training;

namespace Latent.Cli;

/// <summary>Turns exceptions into one line on stderr and an exit code: 1 for user errors, 3 for unexpected ones.</summary>
internal static class ErrorReporter
{
    public const int UserError = 1, Usage = 2, Unexpected = 3, Cancelled = 130;

    public static bool IsUserError(Exception e) => e is ArgumentException or FileNotFoundException or DirectoryNotFoundException
        or DatasetFormatException or DatasetNotFoundException or DatasetDownloadException or InvalidModelFileException
        or InvalidDataException or TrainingDivergedException or NotSupportedException or UnauthorizedAccessException or IOException;

    public static int Report(Exception e, CliContext ctx)
    {
        if (e is OperationCanceledException) { ctx.Err.WriteLine("latent: cancelled"); return Cancelled; }
        if (IsUserError(e))
        {
            ctx.Err.WriteLine("latent: " + OneLine(Message(e)));
            return UserError;
        }
        ctx.Err.WriteLine($"latent: unexpected error: {e.GetType().Name}: {OneLine(e.Message)}" + (ctx.Verbose ? "" : " (rerun with --verbose for the stack trace)"));
        if (ctx.Verbose) ctx.Err.WriteLine(e.ToString());
        return Unexpected;
    }

    private static string Message(Exception e) => e switch
    {
        // ArgumentException appends " (Parameter 'x')"; the text already names the option.
        ArgumentException a when a.ParamName is not null => a.Message.Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal),
        FileNotFoundException f when f.FileName is not null && !f.Message.Contains(f.FileName, StringComparison.Ordinal) => $"{f.Message}: {f.FileName}",
        _ => e.Message,
    };

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
