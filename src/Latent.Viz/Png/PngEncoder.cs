using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Core.IO;
using Latent.Data.Images;

namespace Latent.Viz.Png;

/// <summary>
/// Encodes 8-bit PNG images (PNG specification, 3rd edition: signature, IHDR, IDAT, IEND): grey (1 channel),
/// grey+alpha (2), RGB (3) or RGBA (4), non-interlaced. Each row picks the filter (None, Sub, Up, Average, Paeth)
/// whose output has the smallest sum of absolute values as signed bytes, the heuristic the specification
/// recommends; the filtered rows are deflated with <see cref="ZLibStream"/>.
/// </summary>
public static class PngEncoder
{
    /// <summary>The 8-byte PNG signature.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>IDAT payloads are split at this size (any split is valid; this keeps chunks modest).</summary>
    internal const int IdatChunkBytes = 1 << 18;

    /// <summary>
    /// Encodes <paramref name="pixels"/> (row-major, channels interleaved, <c>height × width × channels</c> bytes)
    /// as a PNG file.
    /// </summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="channels">1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.</param>
    /// <param name="pixels">The samples, <c>[H, W, C]</c>.</param>
    /// <returns>The complete PNG file.</returns>
    public static byte[] Encode(int width, int height, int channels, ReadOnlySpan<byte> pixels)
    {
        byte colorType = channels switch
        {
            1 => 0,
            2 => 4,
            3 => 2,
            4 => 6,
            _ => throw new ArgumentOutOfRangeException(nameof(channels), $"PngEncoder: channels must be 1, 2, 3 or 4, got {channels}"),
        };
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), $"PngEncoder: width must be at least 1, got {width}");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), $"PngEncoder: height must be at least 1, got {height}");
        long stride = (long)width * channels;
        if (stride + 1 > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(width), $"PngEncoder: a row of {width}×{channels} bytes is too long");
        if (pixels.Length != stride * height)
            throw new ArgumentException($"PngEncoder: {width}×{height}×{channels} image needs {stride * height} bytes, got {pixels.Length}", nameof(pixels));

        using var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;          // bit depth
        ihdr[9] = colorType;
        ihdr[10] = 0;         // compression: deflate
        ihdr[11] = 0;         // filter method 0 (the five adaptive filters)
        ihdr[12] = 0;         // no interlace
        WriteChunk(png, "IHDR", ihdr);

        var idat = Deflate(FilterRows(width, height, channels, pixels));
        for (int off = 0; off < idat.Length; off += IdatChunkBytes)
            WriteChunk(png, "IDAT", idat.AsSpan(off, Math.Min(IdatChunkBytes, idat.Length - off)));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// Encodes float samples in [0, 1] (row-major <c>[H, W, C]</c>): each is clamped to [0, 1] (NaN becomes 0)
    /// and rounded to the nearest of 0..255.
    /// </summary>
    public static byte[] EncodeUnitFloats(int width, int height, int channels, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++) bytes[i] = ToByte(values[i]);
        return Encode(width, height, channels, bytes);
    }

    /// <summary>Maps a value in [0, 1] to 0..255: clamped, NaN to 0, rounded half away from zero.</summary>
    public static byte ToByte(float value)
    {
        if (!(value > 0f)) return 0; // also NaN
        if (value >= 1f) return 255;
        return (byte)MathF.Round(value * 255f, MidpointRounding.AwayFromZero);
    }

    /// <summary>Encodes and writes atomically to <paramref name="path"/>.</summary>
    public static void Save(string path, int width, int height, int channels, ReadOnlySpan<byte> pixels) =>
        AtomicFile.WriteAllBytes(path, Encode(width, height, channels, pixels));

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        s.Write(head);
        s.Write(data);
        // The CRC covers the chunk type and data, not the length.
        uint crc = Crc32.Append(Crc32.Compute(head[4..]), data);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(raw);
        return ms.ToArray();
    }

    /// <summary>Each output row is one filter-type byte followed by the filtered row.</summary>
    private static byte[] FilterRows(int width, int height, int channels, ReadOnlySpan<byte> pixels)
    {
        int stride = width * channels;
        var output = new byte[(long)(stride + 1) * height];
        var candidate = new byte[stride];
        var best = new byte[stride];
        var zeros = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            var prior = y == 0 ? zeros : pixels.Slice((y - 1) * stride, stride);
            long bestScore = long.MaxValue;
            byte bestType = 0;
            for (byte type = 0; type <= 4; type++)
            {
                long score = PngFilters.Apply(type, row, prior, channels, candidate);
                if (score < bestScore)
                {
                    bestScore = score;
                    bestType = type;
                    (best, candidate) = (candidate, best);
                }
            }
            long o = (long)y * (stride + 1);
            output[o] = bestType;
            best.AsSpan().CopyTo(output.AsSpan((int)o + 1, stride));
        }
        return output;
    }
}
