using Latent.Core;
using Latent.Models;
using Latent.Models.Export;
using Latent.Models.Sparse;
using Latent.Models.VqVae;

namespace Latent.Export.Tests.Onnx;

/// <summary>Every exportable registered model, exported and run by ONNX Runtime, gives Latent's outputs.</summary>
public class OnnxExportTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string, string> Exportable()
    {
        var data = new TheoryData<string, string>();
        foreach (var (m, s) in ExportCases.All())
            if (!ExportCases.NotExportable.Contains(m)) data.Add(m, s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Exportable))]
    public void Encoder_decoder_and_full_graphs_match_Latent(string name, string settings)
    {
        var model = ExportCases.Build(name, settings);
        var rng = new Rng(11);
        var x = rng.Uniform([3, .. model.InputShape]);
        var options = new OnnxExportOptions(DynamicBatch: true);
        Tensor code, decoded, reconstruction;
        using (Tensor.NoGrad())
        {
            code = model.Encode(x);
            decoded = model.Decode(code);
            reconstruction = model.Reconstruct(x);
        }

        var enc = OnnxRuntimeRunner.Run(OnnxExporter.Export(model, OnnxPart.Encoder, options), ("x", x));
        Assert.Equal(code.Shape, enc["code"].Shape);
        Assert.True(OnnxRuntimeRunner.RelativeError(enc["code"].Values, code.ToArray()) <= Tolerance, $"{name} {settings}: encoder");

        var dec = OnnxRuntimeRunner.Run(OnnxExporter.Export(model, OnnxPart.Decoder, options), ("z", code));
        Assert.Equal(decoded.Shape, dec["reconstruction"].Shape);
        Assert.True(OnnxRuntimeRunner.RelativeError(dec["reconstruction"].Values, decoded.ToArray()) <= Tolerance, $"{name} {settings}: decoder");

        var full = OnnxRuntimeRunner.Run(OnnxExporter.Export(model, OnnxPart.Full, options), ("x", x));
        Assert.Equal(reconstruction.Shape, full["reconstruction"].Shape);
        Assert.True(OnnxRuntimeRunner.RelativeError(full["reconstruction"].Values, reconstruction.ToArray()) <= Tolerance, $"{name} {settings}: full");
    }

    [Fact]
    public void A_tied_weight_is_stored_once_in_the_full_graph()
    {
        var tied = ExportCases.Build("ae", "arch=784-64-8;tied=true");
        var untied = ExportCases.Build("ae", "arch=784-64-8");
        int weightBytes = 784 * 64 * sizeof(float);
        int tiedBytes = OnnxExporter.Export(tied, OnnxPart.Full).Length, untiedBytes = OnnxExporter.Export(untied, OnnxPart.Full).Length;
        Assert.True(untiedBytes > 2 * weightBytes, $"{untiedBytes}");
        Assert.True(tiedBytes < 1.2 * weightBytes, $"{tiedBytes}");
    }

    [Fact]
    public void The_vae_sample_uses_the_noise_input()
    {
        var vae = (Latent.Models.Vae.Vae)ExportCases.Build("vae", "");
        var rng = new Rng(5);
        var x = rng.Uniform([4, .. vae.InputShape]);
        var noise = rng.Normal([4, vae.LatentSize]);
        Tensor z, reconstruction;
        using (Tensor.NoGrad())
        {
            var h = vae.Encoder.Forward(x);
            var parts = h.Split([vae.LatentSize, vae.LatentSize], axis: 1);
            z = parts[0] + (parts[1] * 0.5f).Exp() * noise;
            reconstruction = vae.Decode(z);
        }
        var options = new OnnxExportOptions(DynamicBatch: true, Sample: true);
        var enc = OnnxRuntimeRunner.Run(OnnxExporter.Export(vae, OnnxPart.Encoder, options), ("x", x), ("noise", noise));
        Assert.True(OnnxRuntimeRunner.RelativeError(enc["z"].Values, z.ToArray()) <= Tolerance);
        var full = OnnxRuntimeRunner.Run(OnnxExporter.Export(vae, OnnxPart.Full, options), ("x", x), ("noise", noise));
        Assert.True(OnnxRuntimeRunner.RelativeError(full["reconstruction"].Values, reconstruction.ToArray()) <= Tolerance);
        // Zero noise is the mean path.
        var mean = OnnxRuntimeRunner.Run(OnnxExporter.Export(vae, OnnxPart.Full, options), ("x", x), ("noise", Tensor.Zeros(4, vae.LatentSize)));
        using (Tensor.NoGrad())
            Assert.True(OnnxRuntimeRunner.RelativeError(mean["reconstruction"].Values, vae.Reconstruct(x).ToArray()) <= Tolerance);
    }

    [Fact]
    public void The_vq_vae_indices_are_the_nearest_codebook_entries()
    {
        var q = (VqVae)ExportCases.Build("vq-vae", "");
        var x = new Rng(8).Uniform([2, .. q.InputShape]);
        var enc = OnnxRuntimeRunner.Run(OnnxExporter.Export(q, OnnxPart.Encoder, new OnnxExportOptions(BatchSize: 2)), ("x", x));
        Assert.Equal([2, q.CodeHeight, q.CodeWidth], enc["indices"].Shape);
        Assert.Equal(q.EncodeIndices(x).Select(i => (float)i).ToArray(), enc["indices"].Values);
        Assert.True(q.EncodeIndices(x).Distinct().Count() > 1, "one code for every position would not test the lookup");
    }

    [Fact]
    public void The_k_sparse_code_has_k_non_zeros_per_row()
    {
        var k = (KSparseAutoencoder)ExportCases.Build("k-sparse-ae", "");
        var x = new Rng(9).Uniform([3, .. k.InputShape]);
        var enc = OnnxRuntimeRunner.Run(OnnxExporter.Export(k, OnnxPart.Encoder, new OnnxExportOptions(BatchSize: 3)), ("x", x));
        for (int row = 0; row < 3; row++)
            Assert.Equal(k.EncodeK, enc["code"].Values.Skip(row * k.CodeSize).Take(k.CodeSize).Count(v => v != 0f));
        Assert.True(k.EncodeK < k.CodeSize, "the default keeps fewer units than the code has");
    }

    [Fact]
    public void A_fixed_batch_file_declares_its_batch_size_and_rejects_another()
    {
        var model = ExportCases.Build("ae", "");
        var bytes = OnnxExporter.Export(model, OnnxPart.Encoder, new OnnxExportOptions(BatchSize: 2));
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);
        Assert.Equal([2, 1, 28, 28], session.InputMetadata["x"].Dimensions);
        Assert.ThrowsAny<Exception>(() => OnnxRuntimeRunner.Run(bytes, ("x", Tensor.Zeros(3, 1, 28, 28))));
        var dynamic = OnnxExporter.Export(model, OnnxPart.Encoder, new OnnxExportOptions(DynamicBatch: true));
        using var dynamicSession = new Microsoft.ML.OnnxRuntime.InferenceSession(dynamic);
        Assert.Equal(-1, dynamicSession.InputMetadata["x"].Dimensions[0]);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(21)]
    public void Every_supported_opset_loads_and_runs(int opset)
    {
        var model = ExportCases.Build("vae", "network=conv");
        var x = new Rng(2).Uniform([1, .. model.InputShape]);
        var full = OnnxRuntimeRunner.Run(OnnxExporter.Export(model, OnnxPart.Full, new OnnxExportOptions(Opset: opset)), ("x", x));
        using (Tensor.NoGrad())
            Assert.True(OnnxRuntimeRunner.RelativeError(full["reconstruction"].Values, model.Reconstruct(x).ToArray()) <= Tolerance);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(22)]
    public void An_unsupported_opset_is_refused(int opset)
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(ExportCases.Build("ae", ""), OnnxPart.Full, new OnnxExportOptions(Opset: opset)));
        Assert.Contains($"opset {opset}", e.Message);
    }

    [Theory]
    [InlineData("vq-vae-2")]
    [InlineData("dvae")]
    [InlineData("td-vae")]
    [InlineData("sr-ae")]
    [InlineData("planar-vae")]
    [InlineData("iaf-vae")]
    [InlineData("lstm-ae")]
    [InlineData("lstm-vae")]
    public void A_family_without_an_onnx_form_names_the_part(string name)
    {
        var model = ExportCases.Build(name, "");
        foreach (var part in Enum.GetValues<OnnxPart>())
        {
            var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(model, part));
            Assert.StartsWith($"{name}: the {part.ToString().ToLowerInvariant()} has no ONNX", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void Sampling_is_refused_for_a_model_without_noise()
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(ExportCases.Build("ae", ""), OnnxPart.Full, new OnnxExportOptions(Sample: true)));
        Assert.Contains("VAE", e.Message);
    }
}
