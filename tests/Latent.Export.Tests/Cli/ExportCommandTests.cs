using Latent.Core;
using Latent.Export.Tests.Onnx;
using Latent.Models;
using Latent.Models.IO;

namespace Latent.Export.Tests.Cli;

/// <summary><c>latent export</c>: files ONNX Runtime runs with Latent's outputs; one-line errors; no file left on failure.</summary>
public class ExportCommandTests
{
    [Fact]
    public void Export_writes_each_part_that_onnx_runtime_runs_like_latent()
    {
        string dir = CliRunner.TinyModel();
        var (model, _) = ModelFile.Load(dir);
        var x = new Rng(4).Uniform([5, .. model.InputShape]);
        foreach (var part in new[] { "encoder", "decoder", "full" })
        {
            string file = Path.Combine(dir, part + ".onnx");
            var r = CliRunner.Run("export", dir, "--format", "onnx", "--part", part, "--opset", "17", "--dynamic-batch", "--out", file);
            Assert.True(r.Code == 0, r.Err);
            Tensor input = part == "decoder" ? model.Encode(x) : x;
            var outputs = OnnxRuntimeRunner.Run(File.ReadAllBytes(file), (part == "decoder" ? "z" : "x", input));
            var (name, expected) = part switch
            {
                "encoder" => ("code", model.Encode(x)),
                "decoder" => ("reconstruction", model.Decode(input)),
                _ => ("reconstruction", model.Reconstruct(x)),
            };
            Assert.True(OnnxRuntimeRunner.RelativeError(outputs[name].Values, expected.ToArray()) <= 1e-5, part);
        }
    }

    [Theory]
    [InlineData("--opset", "9", "--opset 9")]
    [InlineData("--part", "middle", "--part 'middle'")]
    [InlineData("--format", "tflite", "--format 'tflite'")]
    [InlineData("--batch", "0", "--batch 0")]
    public void A_bad_value_is_one_line_and_writes_nothing(string option, string value, string message)
    {
        string dir = CliRunner.TempDir(); // no model needed: values are checked first
        string file = Path.Combine(dir, "m.onnx");
        CliRunner.AssertOneLineError(CliRunner.Run("export", dir, option, value, "--out", file), message);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void A_family_without_an_onnx_form_is_one_line_naming_the_part()
    {
        string dir = CliRunner.TempDir();
        var model = ExportCases.Build("dvae", "");
        ModelFile.Save(dir, model, new ModelManifest { Model = model.Name, Options = model.Options.ToText(), CodeSize = model.CodeSize, InputShape = model.InputShape });
        string file = Path.Combine(dir, "m.onnx");
        CliRunner.AssertOneLineError(CliRunner.Run("export", dir, "--part", "encoder", "--out", file), "dvae: the encoder has no ONNX");
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Import_takes_weights_with_latent_names_and_refuses_a_wrong_shape()
    {
        string dir = CliRunner.TinyModel();
        var (model, _) = ModelFile.Load(dir);
        // Weights "from elsewhere": the same names and shapes, other values.
        var rng = new Rng(21);
        var other = model.StateDict().Select(p => (p.Name, rng.Normal(p.Tensor.Shape, std: 0.1f))).ToList();
        string weights = Path.Combine(dir, "other.safetensors");
        Latent.Core.IO.SafeTensors.Write(weights, other);
        string target = Path.Combine(dir, "imported");
        var r = CliRunner.Run("import", weights, "--config", dir, "--out", target);
        Assert.True(r.Code == 0, r.Err);
        var (imported, manifest) = ModelFile.Load(target);
        Assert.Empty(manifest.Metrics);
        foreach (var ((name, t), (_, expected)) in imported.StateDict().Zip(other))
            Assert.True(t.ToArray().SequenceEqual(expected.ToArray()), name);

        var bad = other.Select((p, i) => i == 0 ? (p.Name, Tensor.Zeros(3, 3)) : p).ToList();
        Latent.Core.IO.SafeTensors.Write(weights, bad);
        string target2 = Path.Combine(dir, "bad");
        CliRunner.AssertOneLineError(CliRunner.Run("import", weights, "--config", Path.Combine(dir, "model.json"), "--out", target2), other[0].Name);
        Assert.False(Directory.Exists(target2));
    }
}
