using System.Globalization;
using System.Runtime.InteropServices;

namespace Latent.Models.Export;

/// <summary>
/// Builds one ONNX graph (nodes, initializers, typed inputs and outputs) and serialises it as a ModelProto. Field
/// numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>TensorProto.DataType values.</summary>
    public const int Float = 1, Int64 = 7, Bool = 9;

    private readonly List<Action<ProtoWriter>> _nodes = [], _initializers = [], _inputs = [], _outputs = [];
    private readonly HashSet<string> _names = [];
    private int _counter;

    /// <summary>A value name not used before, from <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        string name = hint;
        while (!_names.Add(name)) name = hint + "_" + (_counter++).ToString(CultureInfo.InvariantCulture);
        return name;
    }

    /// <summary>A float32 initializer holding <paramref name="data"/> with dimensions <paramref name="dims"/>; returns its name.</summary>
    public string Constant(string hint, ReadOnlySpan<int> dims, float[] data)
    {
        string name = Fresh(hint);
        long[] d = Dims(dims);
        byte[] raw = MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX export writes little-endian raw data");
        _initializers.Add(w => WriteTensor(w, name, d, Float, raw));
        return name;
    }

    /// <summary>An int64 initializer (shapes, axes, k); returns its name.</summary>
    public string ConstantInt64(string hint, params long[] data)
    {
        string name = Fresh(hint);
        byte[] raw = MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
        _initializers.Add(w => WriteTensor(w, name, [data.Length], Int64, raw));
        return name;
    }

    /// <summary>A float32 scalar initializer (rank 0).</summary>
    public string Scalar(string hint, float value) => Constant(hint, [], [value]);

    /// <summary>Adds a node <paramref name="op"/>(<paramref name="inputs"/>) with <paramref name="outputCount"/> fresh outputs; returns their names.</summary>
    public string[] Node(string op, string[] inputs, int outputCount, params OnnxAttribute[] attributes)
    {
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++) outputs[i] = Fresh(op.ToLowerInvariant());
        string nodeName = Fresh(op + "_node");
        _nodes.Add(w =>
        {
            foreach (var i in inputs) w.String(1, i);
            foreach (var o in outputs) w.String(2, o);
            w.String(3, nodeName);
            w.String(4, op);
            foreach (var a in attributes) w.Message(5, a.Write);
        });
        return outputs;
    }

    /// <summary>Adds a one-output node and returns its output.</summary>
    public string Node1(string op, string[] inputs, params OnnxAttribute[] attributes) => Node(op, inputs, 1, attributes)[0];

    /// <summary>Adds a node whose single output has the graph-level name <paramref name="output"/> (for graph outputs).</summary>
    public void Rename(string from, string output) =>
        _nodes.Add(w => { w.String(1, from); w.String(2, output); w.String(3, Fresh("Identity_" + output)); w.String(4, "Identity"); });

    /// <summary>A graph input; <paramref name="dims"/> null entries are the symbolic dimension <paramref name="symbol"/>.</summary>
    public string Input(string name, int elemType, int?[] dims, string symbol = "batch")
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"ONNX graph: name '{name}' used twice");
        _inputs.Add(w => WriteValueInfo(w, name, elemType, dims, symbol));
        return name;
    }

    /// <summary>Makes <paramref name="value"/> the graph output <paramref name="name"/> of the given type and shape.</summary>
    public void Output(string value, string name, int elemType, int?[] dims, string symbol = "batch")
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"ONNX graph: name '{name}' used twice");
        Rename(value, name);
        _outputs.Add(w => WriteValueInfo(w, name, elemType, dims, symbol));
    }

    /// <summary>The serialised ModelProto.</summary>
    public byte[] ToModel(string graphName, long irVersion, int opset, string producerVersion, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ProtoWriter();
        model.Int(1, irVersion);                         // ir_version
        model.String(2, "Latent");                       // producer_name
        model.String(3, producerVersion);                // producer_version
        model.Int(5, 1);                                 // model_version
        model.Message(7, g =>                            // graph
        {
            foreach (var n in _nodes) g.Message(1, n);   // node
            g.String(2, graphName);                      // name
            foreach (var t in _initializers) g.Message(5, t); // initializer
            foreach (var i in _inputs) g.Message(11, i); // input
            foreach (var o in _outputs) g.Message(12, o); // output
        });
        model.Message(8, o => { o.String(1, ""); o.Int(2, opset); }); // opset_import: the default domain
        foreach (var (key, value) in metadata)
            model.Message(14, e => { e.String(1, key); e.String(2, value); }); // metadata_props
        return model.ToArray();
    }

    private static long[] Dims(ReadOnlySpan<int> dims)
    {
        var d = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++) d[i] = dims[i];
        return d;
    }

    private static void WriteTensor(ProtoWriter w, string name, long[] dims, int dataType, byte[] raw)
    {
        foreach (long d in dims) w.Int(1, d);            // dims
        w.Int(2, dataType);                              // data_type
        w.String(8, name);                               // name
        w.Bytes(9, raw);                                 // raw_data (little-endian)
    }

    private static void WriteValueInfo(ProtoWriter w, string name, int elemType, int?[] dims, string symbol)
    {
        w.String(1, name);                               // ValueInfoProto.name
        w.Message(2, type =>                             // ValueInfoProto.type
            type.Message(1, tensor =>                    // TypeProto.tensor_type
            {
                tensor.Int(1, elemType);                 // elem_type
                tensor.Message(2, shape =>               // shape
                {
                    foreach (var d in dims)
                        shape.Message(1, dim =>          // dim
                        {
                            if (d is int v) dim.Int(1, v);   // dim_value
                            else dim.String(2, symbol);      // dim_param
                        });
                });
            }));
    }
}
