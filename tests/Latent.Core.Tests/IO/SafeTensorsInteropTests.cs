using Latent.Core.IO;

namespace Latent.Core.Tests.IO;

/// <summary>Files written by Latent load in PyTorch bit for bit, and files written from Python load in Latent.</summary>
public sealed class SafeTensorsInteropTests : IDisposable
{
    private const string Script = "tests/Latent.Core.Tests/IO/safetensors_interop.py";
    private readonly string _dir = Directory.CreateTempSubdirectory("latent-st-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The tensors the script's <c>expected_tensors()</c> checks (keep in sync).</summary>
    private static List<(string, Tensor)> LatentFile()
    {
        uint[] bits = [0x7FC00123, 0x80000000, 0x7F800000, 0xFF800000, 0x00000001, 0x7F7FFFFF];
        var weight = new float[12];
        for (int i = 0; i < 12; i++) weight[i] = (i - 5) * 0.25f;
        return
        [
            ("weight", Tensor.FromArray(weight, 3, 4)),
            ("special", Tensor.FromArray(bits.Select(b => BitConverter.Int32BitsToSingle((int)b)).ToArray(), 6)),
            ("scalar", Tensor.Scalar(2.5f)),
            ("empty", Tensor.Zeros(0, 3)),
        ];
    }

    [TorchFact]
    public void TorchLoadsLatentFileBitForBit()
    {
        var path = Path.Combine(_dir, "latent.safetensors");
        SafeTensors.Write(path, LatentFile(), new Dictionary<string, string> { ["format"] = "pt", ["note"] = "h\u00e9llo <&> \"q\"" });
        var (code, output) = PythonRunner.Run($"\"{PythonRunner.FindRepoFile(Script)}\" check \"{path}\"");
        Assert.True(code == 0, $"python check failed (exit {code}): {output}");
        Assert.Contains("OK", output);
    }

    [TorchFact]
    public void LatentLoadsFileWrittenFromPython()
    {
        var path = Path.Combine(_dir, "python.safetensors");
        var (code, output) = PythonRunner.Run($"\"{PythonRunner.FindRepoFile(Script)}\" write \"{path}\"");
        Assert.True(code == 0, $"python write failed (exit {code}): {output}");

        var (tensors, metadata) = SafeTensors.Read(path);
        Assert.Equal(["a", "b"], tensors.Keys.Order());
        Assert.Equal([2, 3, 2], tensors["a"].Shape);
        for (int i = 0; i < 12; i++) Assert.Equal(i / 8f - 0.5f, tensors["a"].Span[i]);
        Assert.Equal([1e-3f, -7f, float.PositiveInfinity], tensors["b"].ToArray());
        Assert.StartsWith("torch ", metadata["source"]);
    }
}
