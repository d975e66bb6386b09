namespace Latent.Models.Export;

/// <summary>One node attribute (AttributeProto): an int, a float or a list of ints.</summary>
internal sealed class OnnxAttribute
{
    private readonly Action<ProtoWriter> _write;

    private OnnxAttribute(Action<ProtoWriter> write) => _write = write;

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) =>
        new(w => { w.String(1, name); w.Int(3, value); w.Int(20, 2); });

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) =>
        new(w => { w.String(1, name); w.Float(2, value); w.Int(20, 1); });

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) =>
        new(w => { w.String(1, name); foreach (long v in values) w.Int(8, v); w.Int(20, 7); });

    /// <summary>Writes the AttributeProto fields (name = 1, f = 2, i = 3, ints = 8, type = 20).</summary>
    public void Write(ProtoWriter w) => _write(w);
}
