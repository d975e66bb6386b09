using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.IO;
using Latent.Models.Sparse;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.Export;

/// <summary>
/// Writes a model's inference graph (<see cref="OnnxPart.Encoder"/>, <see cref="OnnxPart.Decoder"/> or
/// <see cref="OnnxPart.Full"/>) as an ONNX file made of standard operators, in pure C#: the protobuf is written by a
/// small writer with onnx.proto's field numbers, so Latent needs no native library to export. Covered: the MLP and
/// conv encoders/decoders of every plain-network family (Gemm, Conv, ConvTranspose, BatchNormalization in inference
/// form, activations, Reshape), the VAE's mean path and reparameterised sample with an explicit noise input, the
/// VQ-VAE's nearest-codebook lookup (ArgMin over squared distances, Gather) and decoder, and the k-sparse code (TopK,
/// ScatterElements). Families with no such graph throw <see cref="NotSupportedException"/> naming the part.
/// </summary>
/// <remarks>
/// Graph inputs: <c>x</c> [B, ...InputShape] (encoder, full), <c>z</c> [B, Z] (decoder), <c>noise</c> [B, Z] (VAE with
/// <see cref="OnnxExportOptions.Sample"/>). Outputs: encoder <c>code</c> [B, Z] (plus <c>log_variance</c> and, when
/// sampling, <c>z</c> for a VAE; <c>indices</c> int64 [B, h, w] for a VQ-VAE); decoder and full <c>reconstruction</c>
/// [B, ...InputShape]. The graph works in the model's input space: a table model saved with a data mean and standard
/// deviation expects standardised rows, as its <c>Encode</c> does.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX bytes of <paramref name="part"/> of <paramref name="model"/> (put in inference mode first).</summary>
    /// <exception cref="NotSupportedException">The model, or one of its layers, has no ONNX form here; the message names the part.</exception>
    public static byte[] Export(AutoencoderModel model, OnnxPart part, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        options.Validate();
        model.Eval();
        using var _ = Tensor.NoGrad();
        var g = new OnnxGraph();
        var emit = new Emitter(g, model.Name);
        int?[] Batch(params int[] rest) => [options.DynamicBatch ? null : options.BatchSize, .. rest];

        if (options.Sample && model is not Vae.Vae)
            throw new ArgumentException($"{model.Name}: sampling (noise input) exists only for the VAE families", nameof(options));

        switch (model)
        {
            case KSparseAutoencoder k:
                ExportNetwork(g, emit, k, part, Batch, k.Encoder, k.Decoder,
                    code => emit.KeepTopK(code, k.CodeSize, k.EncodeK), code => emit.KeepTopK(code, k.CodeSize, k.K));
                break;
            case NetworkAutoencoder n:
                ExportNetwork(g, emit, n, part, Batch, n.Encoder, n.Decoder, c => c, c => c);
                break;
            case Flows.FlowVae:
                throw new NotSupportedException(NoOnnxForm(model, part));
            case Vae.Vae v:
                ExportVae(g, emit, v, part, Batch, options.Sample);
                break;
            case VqVae.VqVae q:
                ExportVqVae(g, emit, q, part, Batch);
                break;
            default:
                throw new NotSupportedException(NoOnnxForm(model, part));
        }

        var metadata = new Dictionary<string, string>
        {
            ["latent.model"] = model.Name,
            ["latent.part"] = part.ToString().ToLowerInvariant(),
            ["latent.options"] = model.Options.ToText(),
            ["latent.input_shape"] = string.Join(",", model.InputShape),
            ["latent.code_size"] = model.CodeSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return g.ToModel($"{model.Name}_{part.ToString().ToLowerInvariant()}", options.IrVersion, options.Opset, ModelFile.LatentVersion, metadata);
    }

    /// <summary>
    /// An anomaly scorer for one sample at a time, with graph inputs and outputs named for a host pipeline (ML.NET's ONNX
    /// transformer maps columns to them by name): input [1, ...InputShape] → the code [Z], the reconstruction error
    /// (Σᵢ (xᵢ − x̂ᵢ)² over the sample's elements, float [1]: the score of <see cref="Runs.AnomalyScoring"/>) and whether it exceeds <paramref name="threshold"/> (bool [1]). For the plain-network and VAE
    /// families (the code of a VAE is its mean, decoded for the reconstruction).
    /// </summary>
    public static byte[] ExportScorer(AutoencoderModel model, float threshold, OnnxScorerNames names, int opset = 17)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(names);
        var options = new OnnxExportOptions(opset);
        options.Validate();
        model.Eval();
        using var _ = Tensor.NoGrad();
        var g = new OnnxGraph();
        var emit = new Emitter(g, model.Name);
        string x = g.Input(names.Input, OnnxGraph.Float, [1, .. model.InputShape.Select(d => (int?)d)]);
        string code, reconstruction;
        switch (model)
        {
            case NetworkAutoencoder n:
            {
                var output = emit.DecodeOutput(n, n.Decoder, z => z);
                string h = emit.Layer(n.Encoder, x, n.InputShape, "encoder").Value;
                code = n is KSparseAutoencoder k ? emit.KeepTopK(h, k.CodeSize, k.EncodeK) : h;
                string r = emit.Layer(n.Decoder, n is KSparseAutoencoder k2 ? emit.KeepTopK(h, k2.CodeSize, k2.K) : h, [n.CodeSize], "decoder").Value;
                reconstruction = output(r);
                break;
            }
            case Vae.Vae v:
            {
                bool sigmoid = emit.DecodeAppliesSigmoid(v, v.Decoder, z => z);
                string h = emit.Layer(v.Encoder, x, v.InputShape, "encoder").Value;
                code = g.Node1("Slice", [h, g.ConstantInt64("start0", 0), g.ConstantInt64("endZ", v.LatentSize), g.ConstantInt64("axis1", 1)]);
                string r = emit.Layer(v.Decoder, code, [v.LatentSize], "decoder").Value;
                reconstruction = sigmoid ? g.Node1("Sigmoid", [r]) : r;
                break;
            }
            default:
                throw new NotSupportedException($"{model.Name}: the anomaly scorer has no ONNX export here (plain-network and VAE families only)");
        }
        string diff = g.Node1("Sub", [x, reconstruction]);
        var axes = Enumerable.Range(1, model.InputShape.Length).Select(a => (long)a).ToArray();
        // Σᵢ (xᵢ − x̂ᵢ)² per sample, the score of AnomalyScoring.
        string sumSq = g.Node1("ReduceSum", [g.Node1("Mul", [diff, diff]), g.ConstantInt64("axes", axes)], OnnxAttribute.Int("keepdims", 0));
        string error = g.Node1("Reshape", [sumSq, g.ConstantInt64("one", 1)]);
        g.Output(g.Node1("Reshape", [code, g.ConstantInt64("code_shape", model.CodeSize)]), names.Code, OnnxGraph.Float, [model.CodeSize]);
        g.Output(error, names.ReconstructionError, OnnxGraph.Float, [1]);
        g.Output(g.Node1("Greater", [error, g.Scalar("threshold", threshold)]), names.IsAnomaly, OnnxGraph.Bool, [1]);
        return g.ToModel($"{model.Name}_scorer", options.IrVersion, opset, ModelFile.LatentVersion,
            new Dictionary<string, string> { ["latent.model"] = model.Name, ["latent.part"] = "scorer", ["latent.threshold"] = threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture) });
    }

    /// <summary>Writes <see cref="Export"/>'s bytes to <paramref name="path"/> atomically (no half-written file on failure).</summary>
    public static void ExportToFile(AutoencoderModel model, OnnxPart part, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Export(model, part, options);
        Latent.Core.IO.AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>Parses "encoder", "decoder" or "full"; ArgumentException listing them otherwise.</summary>
    public static OnnxPart ParsePart(string text) => text?.ToLowerInvariant() switch
    {
        "encoder" => OnnxPart.Encoder,
        "decoder" => OnnxPart.Decoder,
        "full" => OnnxPart.Full,
        _ => throw new ArgumentException($"--part '{text}' is not one of encoder, decoder, full", nameof(text)),
    };

    private static string NoOnnxForm(AutoencoderModel model, OnnxPart part) => model.Name switch
    {
        "vq-vae-2" => $"vq-vae-2: the {Lower(part)} has no ONNX export here: its two-level quantiser (top codes decoded into the bottom encoder's input) is not mapped to ONNX operators; export a vq-vae instead",
        "td-vae" => $"td-vae: the {Lower(part)} has no ONNX form: the belief state is an LSTM over a whole sequence and decoding jumps through sampled states",
        "planar-vae" or "iaf-vae" => $"{model.Name}: the {Lower(part)} has no ONNX export here: the posterior flow applied to the code is not mapped to ONNX operators",
        "lstm-ae" or "lstm-vae" => $"{model.Name}: the {Lower(part)} has no ONNX export here: the recurrent cells unrolled over the steps are not mapped to ONNX operators",
        "dvae" => $"dvae: the {Lower(part)} has no ONNX export here: the categorical code (argmax one-hot, Gumbel-softmax relaxation) is not mapped to ONNX operators",
        _ => $"{model.Name}: the {Lower(part)} has no ONNX export ({model.GetType().Name} is not a network family the exporter knows)",
    };

    private static string Lower(OnnxPart part) => part.ToString().ToLowerInvariant();

    private static void ExportNetwork(OnnxGraph g, Emitter emit, AutoencoderModel model, OnnxPart part, Func<int[], int?[]> batch,
        Layer encoder, Layer decoder, Func<string, string> encodeCode, Func<string, string> reconstructCode)
    {
        var output = emit.DecodeOutput(model, decoder, z => z);
        int z = model.CodeSize;
        if (part == OnnxPart.Decoder)
        {
            string zIn = g.Input("z", OnnxGraph.Float, batch([z]));
            string y = emit.Layer(decoder, zIn, [z], "decoder").Value;
            g.Output(output(y), "reconstruction", OnnxGraph.Float, batch(model.InputShape));
            return;
        }
        string x = g.Input("x", OnnxGraph.Float, batch(model.InputShape));
        string h = emit.Layer(encoder, x, model.InputShape, "encoder").Value;
        if (part == OnnxPart.Encoder)
        {
            g.Output(encodeCode(h), "code", OnnxGraph.Float, batch([z]));
            return;
        }
        string r = emit.Layer(decoder, reconstructCode(h), [z], "decoder").Value;
        g.Output(output(r), "reconstruction", OnnxGraph.Float, batch(model.InputShape));
    }

    private static void ExportVae(OnnxGraph g, Emitter emit, Vae.Vae v, OnnxPart part, Func<int[], int?[]> batch, bool sample)
    {
        bool sigmoid = emit.DecodeAppliesSigmoid(v, v.Decoder, z => z);
        int z = v.LatentSize;
        if (part == OnnxPart.Decoder)
        {
            string zIn = g.Input("z", OnnxGraph.Float, batch([z]));
            string y = emit.Layer(v.Decoder, zIn, [z], "decoder").Value;
            g.Output(sigmoid ? g.Node1("Sigmoid", [y]) : y, "reconstruction", OnnxGraph.Float, batch(v.InputShape));
            return;
        }
        string x = g.Input("x", OnnxGraph.Float, batch(v.InputShape));
        string noise = sample ? g.Input("noise", OnnxGraph.Float, batch([z])) : "";
        string h = emit.Layer(v.Encoder, x, v.InputShape, "encoder").Value;
        // The encoder's last layer gives [μ, log σ²] side by side: [B, 2Z] → [B, Z] twice.
        string axis = g.ConstantInt64("axis1", 1);
        string mean = g.Node1("Slice", [h, g.ConstantInt64("start0", 0), g.ConstantInt64("endZ", z), axis]);
        string logVar = g.Node1("Slice", [h, g.ConstantInt64("startZ", z), g.ConstantInt64("end2Z", 2 * z), axis]);
        string code = mean;
        if (sample)
        {
            // Reparameterisation (Kingma & Welling 2014, §2.4): z = μ + exp(½ log σ²) ⊙ ε, with ε the noise input.
            string std = g.Node1("Exp", [g.Node1("Mul", [logVar, g.Scalar("half", 0.5f)])]);
            code = g.Node1("Add", [mean, g.Node1("Mul", [std, noise])]);
        }
        if (part == OnnxPart.Encoder)
        {
            g.Output(mean, "code", OnnxGraph.Float, batch([z]));
            g.Output(logVar, "log_variance", OnnxGraph.Float, batch([z]));
            if (sample) g.Output(code, "z", OnnxGraph.Float, batch([z]));
            return;
        }
        string r = emit.Layer(v.Decoder, code, [z], "decoder").Value;
        g.Output(sigmoid ? g.Node1("Sigmoid", [r]) : r, "reconstruction", OnnxGraph.Float, batch(v.InputShape));
    }

    private static void ExportVqVae(OnnxGraph g, Emitter emit, VqVae.VqVae q, OnnxPart part, Func<int[], int?[]> batch)
    {
        int d = q.Quantizer.Dim, h = q.CodeHeight, w = q.CodeWidth, k = q.Quantizer.CodebookSize;
        int[] mapShape = [d, h, w];
        bool sigmoid = emit.DecodeAppliesSigmoid(q, q.Decoder, zz => zz.Reshape(zz.Shape[0], d, h, w));
        if (part == OnnxPart.Decoder)
        {
            string zIn = g.Input("z", OnnxGraph.Float, batch([q.CodeSize]));
            string map = g.Node1("Reshape", [zIn, g.ConstantInt64("map_shape", -1, d, h, w)]);
            string y = emit.Layer(q.Decoder, map, mapShape, "decoder").Value;
            g.Output(sigmoid ? g.Node1("Sigmoid", [y]) : y, "reconstruction", OnnxGraph.Float, batch(q.InputShape));
            return;
        }
        string x = g.Input("x", OnnxGraph.Float, batch(q.InputShape));
        string zE = emit.Layer(q.Encoder, x, q.InputShape, "encoder").Value;
        // Nearest codebook vector (van den Oord et al. 2017, Eq. 1), as VectorQuantizer.NearestIndices computes it:
        // ‖z − e‖² = ‖z‖² − 2 z·eᵀ + ‖e‖² over rows z of z_e [B, D, h, w] → [B·h·w, D].
        string flat = g.Node1("Reshape", [g.Node1("Transpose", [zE], OnnxAttribute.Ints("perm", 0, 2, 3, 1)), g.ConstantInt64("rows_shape", -1, d)]);
        var e = q.Quantizer.Embeddings.Detach();
        string codebook = g.Constant("codebook", [k, d], e.ToArray());
        string codebookT = g.Constant("codebook_t", [d, k], e.Transpose(0, 1).ToArray());
        string eSq = g.Constant("codebook_sq", [1, k], e.Square().Sum(1).ToArray());
        string zSq = g.Node1("ReduceSum", [g.Node1("Mul", [flat, flat]), g.ConstantInt64("axes1", 1)], OnnxAttribute.Int("keepdims", 1));
        string dot2 = g.Node1("Mul", [g.Scalar("two", 2f), g.Node1("MatMul", [flat, codebookT])]);
        string dist = g.Node1("Add", [g.Node1("Sub", [zSq, dot2]), eSq]);
        string idx = g.Node1("ArgMin", [dist], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
        string vectors = g.Node1("Gather", [codebook, idx], OnnxAttribute.Int("axis", 0));
        string zQ = g.Node1("Transpose", [g.Node1("Reshape", [vectors, g.ConstantInt64("nhwc", -1, h, w, d)])], OnnxAttribute.Ints("perm", 0, 3, 1, 2));
        if (part == OnnxPart.Encoder)
        {
            g.Output(g.Node1("Reshape", [zQ, g.ConstantInt64("code_shape", -1, q.CodeSize)]), "code", OnnxGraph.Float, batch([q.CodeSize]));
            g.Output(g.Node1("Reshape", [idx, g.ConstantInt64("index_shape", -1, h, w)]), "indices", OnnxGraph.Int64, batch([h, w]));
            return;
        }
        string r = emit.Layer(q.Decoder, zQ, mapShape, "decoder").Value;
        g.Output(sigmoid ? g.Node1("Sigmoid", [r]) : r, "reconstruction", OnnxGraph.Float, batch(q.InputShape));
    }
}
