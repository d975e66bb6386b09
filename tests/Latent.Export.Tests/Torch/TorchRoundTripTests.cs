using System.Runtime.InteropServices;
using Latent.Core;
using Latent.Export.Tests.Cli;
using Latent.Export.Tests.Onnx;
using Latent.Models;
using Latent.Models.IO;

namespace Latent.Export.Tests.Torch;

/// <summary>
/// Latent's model files and PyTorch: tools/torch_roundtrip.py builds the torch.nn module of a model.json, which gives
/// Latent's outputs on model.safetensors; weights trained in PyTorch come back through <c>latent import</c>.
/// </summary>
public class TorchRoundTripTests
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "torch_roundtrip.py");

    public static TheoryData<string, string> Models() => new()
    {
        { "ae", "arch=784-64-8" },
        { "ae", "network=mlp-bn;hidden=elu;output=gaussian" },
        { "ae", "network=conv-bn;hidden=leaky_relu" },
        { "dae", "arch=784-32-4;hidden=tanh" },
        { "vae", "network=conv" },
        { "vae", "arch=784-64-6;hidden=gelu;output=gaussian" },
    };

    [TorchTheory]
    [MemberData(nameof(Models))]
    public void PyTorch_gives_latents_outputs_on_latents_weights(string name, string settings)
    {
        var model = ExportCases.Build(name, settings);
        string dir = SaveUntrained(model);
        var x = new Rng(6).Uniform([4, .. model.InputShape]);
        var (code, recon) = RunTorch(dir, x, null);
        using var _ = Tensor.NoGrad();
        Assert.True(OnnxRuntimeRunner.RelativeError(code, model.Encode(x).ToArray()) <= 1e-5, "code");
        Assert.True(OnnxRuntimeRunner.RelativeError(recon, model.Reconstruct(x).ToArray()) <= 1e-5, "reconstruction");
    }

    [TorchFact]
    public void Weights_trained_in_PyTorch_import_and_give_pytorchs_outputs()
    {
        var config = ExportCases.Build("ae", "network=conv-bn");
        string dir = SaveUntrained(config);
        string weights = Path.Combine(dir, "torch.safetensors"), imported = Path.Combine(dir, "from-torch");
        var (code, output) = PythonRunner.Run(Script, "train", dir, weights, "10");
        Assert.True(code == 0, output);
        var r = CliRunner.Run("import", weights, "--config", dir, "--out", imported);
        Assert.True(r.Code == 0, r.Err);

        var (model, _) = ModelFile.Load(imported);
        var x = new Rng(7).Uniform([3, .. model.InputShape]);
        var (torchCode, torchRecon) = RunTorch(imported, x, weights);
        using var _ = Tensor.NoGrad();
        Assert.True(OnnxRuntimeRunner.RelativeError(torchCode, model.Encode(x).ToArray()) <= 1e-5, "code");
        Assert.True(OnnxRuntimeRunner.RelativeError(torchRecon, model.Reconstruct(x).ToArray()) <= 1e-5, "reconstruction");
        // PyTorch's training moved the weights and the running statistics away from Latent's initialisation.
        Assert.False(model.StateDict().Zip(config.StateDict()).All(p => p.First.Tensor.ToArray().SequenceEqual(p.Second.Tensor.ToArray())));
    }

    private static string SaveUntrained(AutoencoderModel model)
    {
        string dir = CliRunner.TempDir();
        ModelFile.Save(dir, model, new ModelManifest { Model = model.Name, Options = model.Options.ToText(), CodeSize = model.CodeSize, InputShape = model.InputShape });
        return dir;
    }

    private static (float[] Code, float[] Reconstruction) RunTorch(string dir, Tensor x, string? weights)
    {
        string input = Path.Combine(dir, "x.f32"), codeFile = Path.Combine(dir, "code.f32"), reconFile = Path.Combine(dir, "recon.f32");
        File.WriteAllBytes(input, MemoryMarshal.AsBytes(x.ToArray().AsSpan()).ToArray());
        string[] args = [Script, "run", dir, input, x.Shape[0].ToString(System.Globalization.CultureInfo.InvariantCulture), codeFile, reconFile, .. weights is null ? Array.Empty<string>() : [weights]];
        var (code, output) = PythonRunner.Run(args);
        Assert.True(code == 0, output);
        return (MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(codeFile)).ToArray(), MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(reconFile)).ToArray());
    }
}
