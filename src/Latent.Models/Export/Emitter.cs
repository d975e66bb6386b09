using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.VqVae;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.Export;

/// <summary>Turns Latent layers into ONNX nodes, tracking each value's per-sample shape (the batch axis excluded).</summary>
internal sealed class Emitter(OnnxGraph g, string model)
{
    /// <summary>The value and per-sample shape after a layer.</summary>
    public readonly record struct Emitted(string Value, int[] Shape);

    /// <summary>Nodes computing <paramref name="layer"/>(<paramref name="x"/>) in inference mode; <paramref name="path"/> names it in errors.</summary>
    public Emitted Layer(Layer layer, string x, int[] shape, string path)
    {
        switch (layer)
        {
            case Sequential s:
                var cur = new Emitted(x, shape);
                for (int i = 0; i < s.Layers.Count; i++) cur = Layer(s.Layers[i], cur.Value, cur.Shape, $"{path}.{i}");
                return cur;
            case Linear l:
                if (shape.Length != 1) throw NoForm(path, $"Linear on samples of shape {Shapes.Format(shape)}");
                string[] inputs = l.Bias is null
                    ? [x, Weight(path + ".weight", l.Weight)]
                    : [x, Weight(path + ".weight", l.Weight), Weight(path + ".bias", l.Bias)];
                // Gemm: y = x·Wᵀ + b with W stored [out, in] as in Linear.
                return new(g.Node1("Gemm", inputs, OnnxAttribute.Int("transB", 1)), [l.OutFeatures]);
            case TiedLinear t:
                if (shape.Length != 1) throw NoForm(path, $"TiedLinear on samples of shape {Shapes.Format(shape)}");
                // Gemm without transB: y = x·W + b, W the encoder layer's [out, in] weight (the same initializer as the encoder's
                // when both halves are in the graph).
                return new(g.Node1("Gemm", [x, Weight(path + ".weight", t.Weight), Weight(path + ".bias", t.Bias)]), [t.OutFeatures]);
            case SignedInput:
                // x ↦ 2x − 1 (a tanh-output model's input map).
                return new(g.Node1("Sub", [g.Node1("Mul", [x, g.Scalar("two", 2f)]), g.Scalar("one", 1f)]), shape);
            case ConvTranspose2d ct:
                return new(g.Node1("ConvTranspose", ConvInputs(ct, x, path), [.. ConvAttributes(ct),
                    OnnxAttribute.Ints("output_padding", ct.OutputPadding, ct.OutputPadding)]), OutShape(layer, shape));
            case ConvTranspose1d ct1:
                return new(g.Node1("ConvTranspose", ConvInputs(ct1, x, path), [.. ConvAttributes(ct1),
                    OnnxAttribute.Ints("output_padding", ct1.OutputPadding)]), OutShape(layer, shape));
            case Latent.NN.Layers.Conv2d or Latent.NN.Layers.Conv1d:
                var c = (ConvLayer2d)layer;
                return new(g.Node1("Conv", ConvInputs(c, x, path), ConvAttributes(c)), OutShape(layer, shape));
            case BatchNorm bn:
                return new(BatchNormalization(bn, x, path), shape);
            case Activation a:
                return new(Activation(a, x, path), shape);
            case Latent.NN.Layers.Dropout or Dropout.ContextDropout:
                return new(x, shape); // the identity in inference mode
            case ResidualBlock r:
                // x + conv1(relu(conv3(relu(x)))), as ResidualBlock.Forward.
                var inner = Layer(r.Conv3, g.Node1("Relu", [x]), shape, path + ".conv3");
                inner = Layer(r.Conv1, g.Node1("Relu", [inner.Value]), inner.Shape, path + ".conv1");
                return new(g.Node1("Add", [x, inner.Value]), inner.Shape);
            case Flatten or Unflatten or BatchReshape:
                // Shape-only layers: reshape to what the layer itself gives on one sample.
                int[] target = OutShape(layer, shape);
                return new(g.Node1("Reshape", [x, g.ConstantInt64("shape", [-1, .. target.Select(t => (long)t)])]), target);
            default:
                throw NoForm(path, layer.GetType().Name);
        }
    }

    /// <summary>supp_k as in <see cref="Sparse.KSparseAutoencoder.KeepTopK"/>: the k largest entries of each row of h [B, Z] kept, the rest 0 (TopK + ScatterElements into zeros).</summary>
    public string KeepTopK(string h, int z, int k)
    {
        if (k == z) return h;
        var top = g.Node("TopK", [h, g.ConstantInt64("k", k)], 2, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("largest", 1), OnnxAttribute.Int("sorted", 1));
        string zeros = g.Node1("ConstantOfShape", [g.Node1("Shape", [h])]);
        return g.Node1("ScatterElements", [zeros, top[1], top[0]], OnnxAttribute.Int("axis", 1));
    }

    /// <summary>
    /// Whether the model's Decode is its decoder network followed by a sigmoid (Bernoulli output) or by nothing; checked on
    /// a probe code, so an output transform the exporter does not know is an error rather than a silently wrong file.
    /// </summary>
    public bool DecodeAppliesSigmoid(AutoencoderModel m, Layer decoder, Func<Tensor, Tensor> toDecoderInput)
    {
        var probe = new float[2 * m.CodeSize];
        for (int i = 0; i < probe.Length; i++) probe[i] = MathF.Sin(0.7f * i + 0.3f);
        var z = Tensor.FromArray(probe, 2, m.CodeSize);
        var decoded = m.Decode(z).ToArray();
        var raw = decoder.Forward(toDecoderInput(z));
        if (decoded.AsSpan().SequenceEqual(raw.ToArray())) return false;
        if (decoded.AsSpan().SequenceEqual(raw.Sigmoid().ToArray())) return true;
        throw new NotSupportedException($"{model}: the decoder's output transform has no ONNX export here (Decode is neither the decoder network nor its sigmoid)");
    }

    /// <summary>
    /// The nodes that turn the decoder network's output into the model's Decode: none, a sigmoid (Bernoulli output) or
    /// (tanh(y) + 1)/2 (a tanh output mapped back to [0, 1]); checked on a probe code like <see cref="DecodeAppliesSigmoid"/>.
    /// </summary>
    public Func<string, string> DecodeOutput(AutoencoderModel m, Layer decoder, Func<Tensor, Tensor> toDecoderInput)
    {
        var probe = new float[2 * m.CodeSize];
        for (int i = 0; i < probe.Length; i++) probe[i] = MathF.Sin(0.7f * i + 0.3f);
        var z = Tensor.FromArray(probe, 2, m.CodeSize);
        var decoded = m.Decode(z).ToArray();
        var raw = decoder.Forward(toDecoderInput(z));
        if (decoded.AsSpan().SequenceEqual((new Distributions.TanhSquaredError(raw).Mean).ToArray()))
            return y => g.Node1("Mul", [g.Node1("Add", [g.Node1("Tanh", [y]), g.Scalar("one", 1f)]), g.Scalar("half", 0.5f)]);
        return DecodeAppliesSigmoid(m, decoder, toDecoderInput) ? y => g.Node1("Sigmoid", [y]) : y => y;
    }

    // One initializer per tensor: a weight shared by two layers (tied autoencoders) is stored once.
    private readonly Dictionary<Tensor, string> _weights = new(ReferenceEqualityComparer.Instance);

    private string Weight(string name, Tensor t)
    {
        if (!_weights.TryGetValue(t, out var stored)) _weights[t] = stored = g.Constant(name, t.Shape, t.ToArray());
        return stored;
    }

    private string[] ConvInputs(ConvLayer2d c, string x, string path) => c.Bias is null
        ? [x, Weight(path + ".weight", c.Weight)]
        : [x, Weight(path + ".weight", c.Weight), Weight(path + ".bias", c.Bias)];

    /// <summary>Per-axis attributes (one value per spatial axis; pads as all begins then all ends).</summary>
    private static OnnxAttribute[] ConvAttributes(ConvLayer2d c) =>
    [
        OnnxAttribute.Ints("kernel_shape", [.. Enumerable.Repeat((long)c.KernelSize, c.SpatialDims)]),
        OnnxAttribute.Ints("strides", [.. Enumerable.Repeat((long)c.Stride, c.SpatialDims)]),
        OnnxAttribute.Ints("pads", [.. Enumerable.Repeat((long)c.Padding, 2 * c.SpatialDims)]),
        OnnxAttribute.Ints("dilations", [.. Enumerable.Repeat((long)c.Dilation, c.SpatialDims)]),
    ];

    private string BatchNormalization(BatchNorm bn, string x, string path)
    {
        if (bn.RunningMean is null || bn.RunningVar is null)
            throw NoForm(path, "BatchNorm without running statistics (it normalises with the batch's own statistics at inference)");
        int c = bn.NumFeatures;
        string scale = bn.Weight is null ? g.Constant(path + ".weight", [c], Enumerable.Repeat(1f, c).ToArray()) : Weight(path + ".weight", bn.Weight);
        string bias = bn.Bias is null ? g.Constant(path + ".bias", [c], new float[c]) : Weight(path + ".bias", bn.Bias);
        // Inference form: y = (x − running_mean) / √(running_var + ε) · γ + β.
        return g.Node1("BatchNormalization", [x, scale, bias, Weight(path + ".running_mean", bn.RunningMean), Weight(path + ".running_var", bn.RunningVar)],
            OnnxAttribute.Float("epsilon", bn.Eps));
    }

    private string Activation(Activation a, string x, string path)
    {
        switch (a.Name)
        {
            case "relu": return g.Node1("Relu", [x]);
            case "sigmoid": return g.Node1("Sigmoid", [x]);
            case "tanh": return g.Node1("Tanh", [x]);
            case "softplus": return g.Node1("Softplus", [x]);
            case "identity": return x;
            case "leaky_relu":
                // The slope is read back from the layer itself: f(−1) = −slope.
                return g.Node1("LeakyRelu", [x], OnnxAttribute.Float("alpha", -Probe(a)));
            case "elu":
                // f(−1) = α (e⁻¹ − 1).
                return g.Node1("Elu", [x], OnnxAttribute.Float("alpha", (float)(Probe(a) / (Math.Exp(-1) - 1))));
            case "gelu":
                // Exact GELU (Hendrycks & Gimpel 2016), as Latent computes it: ½ x (1 + erf(x / √2)); Gelu is an operator only from opset 20.
                string erf = g.Node1("Erf", [g.Node1("Mul", [x, g.Scalar("inv_sqrt2", 0.70710678118654752f)])]);
                return g.Node1("Mul", [g.Node1("Mul", [x, g.Scalar("half", 0.5f)]), g.Node1("Add", [erf, g.Scalar("one", 1f)])]);
            default:
                throw NoForm(path, $"activation '{a.Name}'");
        }
    }

    private static float Probe(Activation a) => a.Forward(Tensor.FromArray([-1f], 1, 1)).ToArray()[0];

    private static int[] OutShape(Layer layer, int[] shape) => layer.Forward(Tensor.Zeros([1, .. shape])).Shape[1..];

    private NotSupportedException NoForm(string path, string what) =>
        new($"{model}: layer '{path}' ({what}) has no ONNX export");
}
