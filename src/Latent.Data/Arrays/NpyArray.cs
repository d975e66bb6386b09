using System.Buffers.Binary;

namespace Latent.Data.Arrays;

/// <summary>
/// A NumPy array read from .npy: its dtype, shape and the element bytes in C (row-major) order, little-endian.
/// Convert with <see cref="ToSingle"/> or <see cref="ToInt32"/>.
/// </summary>
public sealed class NpyArray
{
    internal NpyArray(string source, char kind, int itemSize, int[] shape, byte[] data)
    {
        Source = source;
        Kind = kind;
        ItemSize = itemSize;
        Shape = shape;
        Data = data;
    }

    /// <summary>Where the array came from (file, or file:entry for NPZ).</summary>
    public string Source { get; }

    /// <summary>NumPy kind: 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool.</summary>
    public char Kind { get; }

    /// <summary>Bytes per element.</summary>
    public int ItemSize { get; }

    /// <summary>The NumPy dtype string ("&lt;f4", "|u1").</summary>
    public string Dtype => (ItemSize == 1 ? "|" : "<") + Kind + ItemSize;

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>Number of elements.</summary>
    public long Length => Data.Length / ItemSize;

    internal byte[] Data { get; }

    /// <summary>The elements as float32, C order (float64 and int64 are rounded to the nearest float).</summary>
    public float[] ToSingle()
    {
        var o = new float[Length];
        var d = Data.AsSpan();
        for (int i = 0; i < o.Length; i++) o[i] = (float)Element(d, i);
        return o;
    }

    /// <summary>The elements as int32, C order; throws unless the dtype is integer or bool (or float holding whole numbers in range).</summary>
    public int[] ToInt32()
    {
        var o = new int[Length];
        var d = Data.AsSpan();
        for (int i = 0; i < o.Length; i++)
        {
            double v = Element(d, i);
            if (v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue)
                throw new DatasetFormatException(Source, $"element {i}: expected an integer in int32 range for labels, found {v}");
            o[i] = (int)v;
        }
        return o;
    }

    private double Element(ReadOnlySpan<byte> d, int i) => (Kind, ItemSize) switch
    {
        ('f', 4) => BinaryPrimitives.ReadSingleLittleEndian(d[(4 * i)..]),
        ('f', 8) => BinaryPrimitives.ReadDoubleLittleEndian(d[(8 * i)..]),
        ('u', 1) => d[i],
        ('b', 1) => d[i] != 0 ? 1 : 0,
        ('i', 1) => (sbyte)d[i],
        ('i', 4) => BinaryPrimitives.ReadInt32LittleEndian(d[(4 * i)..]),
        ('i', 8) => BinaryPrimitives.ReadInt64LittleEndian(d[(8 * i)..]),
        _ => throw new InvalidOperationException($"NpyArray: unsupported dtype {Dtype}"),
    };
}
