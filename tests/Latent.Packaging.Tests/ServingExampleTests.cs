using System.Globalization;
using System.Text.RegularExpressions;
using Latent.Core;
using Latent.Models.IO;

namespace Latent.Packaging.Tests;

/// <summary>The ONNX Runtime serving program of docs/CLI.md, compiled and run on a model exported by <c>latent export</c>.</summary>
public sealed class ServingExampleTests
{
    [Fact]
    public void The_documented_serving_program_reproduces_Latents_reconstruction_error()
    {
        string dir = Dotnet.TempDir("serve");
        string run = Path.Combine(dir, "run"), onnx = Path.Combine(dir, "model.onnx");
        var quiet = new StringWriter();
        Assert.Equal(0, Latent.Cli.Cli.Run(["train", "--samples", "64", "--image-size", "20", "--batch", "16", "--arch", "400-32-8",
            "--epochs", "1", "--out", run, "--quiet", "--no-report"], quiet, quiet));
        Assert.Equal(0, Latent.Cli.Cli.Run(["export", run, "--format", "onnx", "--part", "full", "--dynamic-batch", "--out", onnx], quiet, quiet));

        string app = Path.Combine(dir, "app");
        Directory.CreateDirectory(app);
        Dotnet.Succeed(app, null, "new", "console", "--name", "Serve", "--output", app);
        Dotnet.Succeed(app, null, "add", "package", "Microsoft.ML.OnnxRuntime", "--version", "1.32.0");
        File.WriteAllText(Path.Combine(app, "Program.cs"), DocumentedProgram());
        string output = Dotnet.Succeed(app, null, "run", "-c", "Release", "--", onnx);
        var m = Regex.Match(output, @"reconstruction error (\S+)");
        Assert.True(m.Success, output);
        double served = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);

        var (model, _) = ModelFile.Load(run);
        var values = new float[model.InputSize];
        for (int i = 0; i < values.Length; i++) values[i] = i % 7 / 7f;
        var x = Tensor.FromArray(values, [1, .. model.InputShape]);
        float[] r;
        using (Tensor.NoGrad()) r = model.Reconstruct(x).ToArray();
        double expected = values.Select((v, i) => Math.Pow(v - r[i], 2)).Sum() / values.Length;
        Assert.True(Math.Abs(served - expected) <= 1e-5 * expected, $"served {served}, Latent {expected}");
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>The C# block under "Serving an exported model with ONNX Runtime" in docs/CLI.md.</summary>
    private static string DocumentedProgram()
    {
        var text = File.ReadAllText(Path.Combine(Dotnet.RepositoryRoot, "docs", "CLI.md"));
        var m = Regex.Match(text, @"### Serving an exported model with ONNX Runtime.*?```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(m.Success, "docs/CLI.md has no serving example");
        Assert.InRange(m.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, 10, 16);
        return m.Groups[1].Value;
    }
}
