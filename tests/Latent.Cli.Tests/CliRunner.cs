using System.Security.Cryptography;
using Latent.Models;
using Latent.Models.Training;

namespace Latent.Cli.Tests;

/// <summary>Runs the CLI in-process and captures its output.</summary>
internal static class CliRunner
{
    public sealed record Result(int Code, string Out, string Err)
    {
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args) => Run(null, args);

    public static Result Run(Action<TrainingProgress, AutoencoderModel>? onProgress, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Cli.Run(args, o, e, new CliHooks { OnProgress = onProgress });
        return new Result(code, o.ToString(), e.ToString());
    }

    /// <summary>A new empty folder, removed when the test process exits.</summary>
    public static string TempDir() => Latent.Tests.TestTempRoot.NewDir("latent-cli-tests");

    public static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Hashes of every file under <paramref name="dir"/>.</summary>
    public static Dictionary<string, string> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => f, Hash);

    /// <summary>Asserts a failed run: the exit code, exactly one line on stderr starting "latent: ", no stack trace.</summary>
    public static void AssertOneLineError(Result r, int code = 1, string? contains = null)
    {
        Assert.Equal(code, r.Code);
        Assert.Single(r.ErrLines);
        Assert.StartsWith("latent: ", r.ErrLines[0]);
        Assert.DoesNotContain("   at ", r.Err);
        if (contains is not null) Assert.Contains(contains, r.Err, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Tiny training arguments: 64 sprites 20x20, a 400-32-8 autoencoder, 2 epochs unless given. (At 16x16 with 64
    /// samples the PCA baseline's eigensolver does not converge: see the report.)
    /// </summary>
    public static string[] TinyTrain(string dir, params string[] extra) =>
        ["train", "--samples", "64", "--image-size", "20", "--batch", "16", "--arch", "400-32-8", "--out", dir, "--quiet",
         .. extra.Contains("--epochs") ? Array.Empty<string>() : ["--epochs", "2"], .. extra];
}
