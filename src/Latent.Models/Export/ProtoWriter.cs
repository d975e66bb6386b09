using System.Buffers.Binary;
using System.Text;

namespace Latent.Models.Export;

/// <summary>
/// The protobuf wire format, as much of it as ONNX files need: varints (wire type 0), 32-bit floats (type 5) and
/// length-delimited bytes, strings and nested messages (type 2). Repeated scalars are written unpacked, which every
/// proto2 and proto3 parser accepts.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _stream.ToArray();

    /// <summary>An int64/int32/enum field (negative values take ten bytes, as protobuf specifies).</summary>
    public void Int(int field, long value)
    {
        Tag(field, 0);
        Varint(unchecked((ulong)value));
    }

    /// <summary>A float field (little-endian fixed32).</summary>
    public void Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _stream.Write(bytes);
    }

    /// <summary>A bytes field.</summary>
    public void Bytes(int field, ReadOnlySpan<byte> data)
    {
        Tag(field, 2);
        Varint((ulong)data.Length);
        _stream.Write(data);
    }

    /// <summary>A string field (UTF-8).</summary>
    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A nested message field written by <paramref name="body"/>.</summary>
    public void Message(int field, Action<ProtoWriter> body)
    {
        var inner = new ProtoWriter();
        body(inner);
        Bytes(field, inner.ToArray());
    }

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _stream.WriteByte((byte)value);
    }
}
