using Latent.Cli;

namespace Latent.Export.Tests.Cli;

/// <summary>Runs the CLI in-process and captures its output.</summary>
internal static class CliRunner
{
    public sealed record Result(int Code, string Out, string Err)
    {
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Latent.Cli.Cli.Run(args, o, e, new CliHooks());
        return new Result(code, o.ToString(), e.ToString());
    }

    /// <summary>A new empty folder, removed when the test process exits.</summary>
    public static string TempDir() => Latent.Tests.TestTempRoot.NewDir("latent-export-tests");

    /// <summary>Asserts a failed run: the exit code, exactly one line on stderr starting "latent: ", no stack trace.</summary>
    public static void AssertOneLineError(Result r, string contains, int code = 1)
    {
        Assert.Equal(code, r.Code);
        Assert.Single(r.ErrLines);
        Assert.StartsWith("latent: ", r.ErrLines[0]);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.Contains(contains, r.Err, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A 400-32-8 autoencoder trained for one epoch on 64 generated 20x20 sprites, in a new folder.</summary>
    public static string TinyModel()
    {
        var dir = TempDir();
        var r = Run("train", "--samples", "64", "--image-size", "20", "--batch", "16", "--arch", "400-32-8", "--epochs", "1", "--out", dir, "--quiet", "--no-report");
        Assert.True(r.Code == 0, r.Err);
        return dir;
    }
}
