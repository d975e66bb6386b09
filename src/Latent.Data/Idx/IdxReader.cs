using System.Buffers.Binary;
using Latent.Core.IO;

namespace Latent.Data.Idx;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format: 2 zero bytes, a type code, the number of dimensions, then
/// each dimension as a big-endian int32, then the values, big-endian), raw or gzip-compressed (detected by magic bytes).
/// </summary>
public static class IdxReader
{
    /// <summary>Reads any IDX file. Throws <see cref="DatasetFormatException"/> for a bad magic number, unknown type
    /// code, a length that does not match the dimensions (truncated or trailing bytes), dimensions whose data would
    /// exceed <see cref="InputLimits.MaxInputBytes"/>, or a corrupt or truncated gzip stream. The header is read and
    /// checked before anything sized by it is allocated.</summary>
    public static IdxArray Read(string path)
    {
        using var s = DataFile.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        int got = ReadHead(s, magic, path);
        if (got < 4)
            throw new DatasetFormatException(path, $"IDX header: expected at least 4 bytes, found {got}");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DatasetFormatException(path, $"IDX magic at offset 0: expected 00 00 <type> <dims>, found {magic[0]:X2} {magic[1]:X2} {magic[2]:X2} {magic[3]:X2}");
        byte type = magic[2];
        int elem = type switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 0 };
        if (elem == 0)
            throw new DatasetFormatException(path, $"IDX type code at offset 2: expected one of 08 09 0B 0C 0D 0E, found {type:X2}");
        int rank = magic[3];
        if (rank == 0)
            throw new DatasetFormatException(path, "IDX header at offset 3: expected at least 1 dimension, found 0");
        int headerLen = 4 + 4 * rank;
        var dimBytes = new byte[4 * rank];
        got = ReadHead(s, dimBytes, path);
        if (got < dimBytes.Length)
            throw new DatasetFormatException(path, $"IDX header: {rank} dimensions need {headerLen} header bytes, file has {4 + got}");
        var dims = new int[rank];
        long count = 1;
        long limit = InputLimits.MaxInputBytes;
        for (int i = 0; i < rank; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (d < 0)
                throw new DatasetFormatException(path, $"IDX dimension {i} at offset {4 + 4 * i}: expected a non-negative size, found {d}");
            dims[i] = d;
            count *= d;
            if (count > int.MaxValue)
                throw new DatasetFormatException(path, $"IDX dimensions [{string.Join(",", dims[..(i + 1)])}]: more than {int.MaxValue} values");
        }
        // Both the raw values and the float32 copy must fit the budget.
        if (count * Math.Max(elem, sizeof(float)) > limit)
            throw new DatasetFormatException(path, $"IDX dimensions [{string.Join(",", dims)}]: {count} values ({InputLimits.Format(count * sizeof(float))} as float32) are over {InputLimits.Describe()}");
        long expected = headerLen + count * elem;
        var data = new byte[count * elem];
        got = ReadHead(s, data, path);
        if (got < data.Length)
            throw new DatasetFormatException(path,
                $"IDX dimensions [{string.Join(",", dims)}] of {elem}-byte values need {expected} bytes, found {headerLen + got} (truncated)");
        if (!DataFile.AtEnd(s, path))
        {
            // Count what follows (the stream stops at the input limit) so that the message gives the real length.
            long extra = 1;
            var sink = new byte[1 << 16];
            int n;
            while ((n = ReadHead(s, sink, path)) > 0) extra += n;
            throw new DatasetFormatException(path,
                $"IDX dimensions [{string.Join(",", dims)}] of {elem}-byte values need {expected} bytes, found {expected + extra} (trailing data)");
        }

        var values = new float[count];
        var p = data.AsSpan();
        switch (type)
        {
            case 0x08: for (int i = 0; i < values.Length; i++) values[i] = p[i]; break;
            case 0x09: for (int i = 0; i < values.Length; i++) values[i] = (sbyte)p[i]; break;
            case 0x0B: for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt16BigEndian(p[(2 * i)..]); break;
            case 0x0C: for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32BigEndian(p[(4 * i)..]); break;
            case 0x0D: for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleBigEndian(p[(4 * i)..]); break;
            default: for (int i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(p[(8 * i)..]); break;
        }
        return new IdxArray(type, dims, values);
    }

    private static int ReadHead(Stream s, Span<byte> buffer, string path)
    {
        try
        {
            return s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"corrupt gzip stream: {e.Message}", e);
        }
    }

    /// <summary>Reads an IDX image file (unsigned bytes, [N, H, W]) as floats in [0, 1]; returns the values [N*H*W] and the shape.</summary>
    public static (float[] Pixels, int Count, int Height, int Width) ReadImages(string path)
    {
        var a = Read(path);
        if (a.TypeCode != 0x08)
            throw new DatasetFormatException(path, $"IDX images: expected type code 08 (unsigned byte), found {a.TypeCode:X2}");
        if (a.Dims.Length != 3)
            throw new DatasetFormatException(path, $"IDX images: expected 3 dimensions [N,H,W], found {a.Dims.Length} [{string.Join(",", a.Dims)}]");
        var v = a.Values;
        for (int i = 0; i < v.Length; i++) v[i] /= 255f;
        return (v, a.Dims[0], a.Dims[1], a.Dims[2]);
    }

    /// <summary>Reads an IDX label file (unsigned bytes, [N]).</summary>
    public static int[] ReadLabels(string path)
    {
        var a = Read(path);
        if (a.TypeCode != 0x08)
            throw new DatasetFormatException(path, $"IDX labels: expected type code 08 (unsigned byte), found {a.TypeCode:X2}");
        if (a.Dims.Length != 1)
            throw new DatasetFormatException(path, $"IDX labels: expected 1 dimension [N], found {a.Dims.Length} [{string.Join(",", a.Dims)}]");
        var labels = new int[a.Dims[0]];
        for (int i = 0; i < labels.Length; i++) labels[i] = (int)a.Values[i];
        return labels;
    }

    /// <summary>An image dataset [N, 1, H, W] in [0, 1] from an IDX image file and an optional IDX label file of the same length.</summary>
    public static Dataset Load(string imagesPath, string? labelsPath = null, string? name = null)
    {
        var (pixels, n, h, w) = ReadImages(imagesPath);
        int[]? labels = null;
        if (labelsPath is not null)
        {
            labels = ReadLabels(labelsPath);
            if (labels.Length != n)
                throw new DatasetFormatException(labelsPath, $"IDX labels: expected {n} labels to match {imagesPath}, found {labels.Length}");
        }
        if (h == 0 || w == 0)
            throw new DatasetFormatException(imagesPath, $"IDX images: expected positive height and width, found {h}x{w}");
        return new Dataset(name ?? imagesPath, pixels, [1, h, w], labels);
    }
}
