using System.Buffers.Binary;
using System.Text;
using Latent.Core;
using Latent.Core.IO;

namespace Latent.Models.Compression;

/// <summary>
/// A learned image codec built on an autoencoder's code: uniform scalar quantisation of each code dimension to
/// 2^bits levels over the range the codes span, arithmetic coding of the levels with one adaptive model per dimension
/// (<see cref="AdaptiveModel"/>, <see cref="ArithmeticEncoder"/>), and a small container:
/// <code>
/// "LTNC" | version u16 | bits u8 | 0 u8 | count u32 | code size u32 | low f32[Z] | high f32[Z] | payload length u32 | payload | CRC-32 u32
/// </code>
/// (little-endian; the CRC covers every byte before it). Decoding the dequantised codes gives the images back.
/// </summary>
public static class CodeCodec
{
    /// <summary>The file's first four bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "LTNC"u8;

    /// <summary>The container version written and read.</summary>
    public const int Version = 1;

    /// <summary>Quantises and entropy-codes <paramref name="codes"/> [N, Z] at <paramref name="bits"/> bits per dimension (1..12).</summary>
    public static CompressedCodes Compress(Tensor codes, int bits)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (bits is < 1 or > 12) throw new ArgumentException($"--bits {bits} must be in 1..12", nameof(bits));
        if (codes.Rank != 2 || codes.Shape[0] < 1) throw new ArgumentException($"CodeCodec: codes {Shapes.Format(codes.Shape)} are not [N, Z]", nameof(codes));
        int n = codes.Shape[0], z = codes.Shape[1], levels = 1 << bits;
        var v = codes.Span;
        var lo = new float[z];
        var hi = new float[z];
        Array.Fill(lo, float.PositiveInfinity);
        Array.Fill(hi, float.NegativeInfinity);
        for (int i = 0; i < n; i++)
        for (int j = 0; j < z; j++)
        {
            float x = v[i * z + j];
            if (!float.IsFinite(x)) throw new ArgumentException($"CodeCodec: code {i} has a non-finite value at dimension {j}", nameof(codes));
            lo[j] = Math.Min(lo[j], x);
            hi[j] = Math.Max(hi[j], x);
        }
        var models = Enumerable.Range(0, z).Select(_ => new AdaptiveModel(levels)).ToArray();
        var enc = new ArithmeticEncoder();
        for (int i = 0; i < n; i++)
        for (int j = 0; j < z; j++)
            enc.Encode(Level(v[i * z + j], lo[j], hi[j], levels), models[j]);
        return new CompressedCodes(bits, n, z, lo, hi, enc.Finish());
    }

    /// <summary>The dequantised codes [N, Z] (each level's value in the middle of its bin's range: lo + level·(hi − lo)/(levels − 1)).</summary>
    public static Tensor Decompress(CompressedCodes c)
    {
        ArgumentNullException.ThrowIfNull(c);
        int levels = 1 << c.Bits;
        var models = Enumerable.Range(0, c.CodeSize).Select(_ => new AdaptiveModel(levels)).ToArray();
        var dec = new ArithmeticDecoder(c.Payload);
        var v = new float[c.Count * c.CodeSize];
        for (int i = 0; i < c.Count; i++)
        for (int j = 0; j < c.CodeSize; j++)
        {
            int level = dec.Decode(models[j]);
            v[i * c.CodeSize + j] = c.High[j] > c.Low[j] ? c.Low[j] + level * (c.High[j] - c.Low[j]) / (levels - 1) : c.Low[j];
        }
        return new Tensor(v, [c.Count, c.CodeSize]);
    }

    /// <summary>The container bytes of <paramref name="c"/>.</summary>
    public static byte[] ToBytes(CompressedCodes c)
    {
        ArgumentNullException.ThrowIfNull(c);
        int z = c.CodeSize;
        var b = new byte[4 + 2 + 2 + 4 + 4 + 8 * z + 4 + c.Payload.Length + 4];
        var s = b.AsSpan();
        Magic.CopyTo(s);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], Version);
        s[6] = (byte)c.Bits;
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)c.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], (uint)z);
        int o = 16;
        for (int j = 0; j < z; j++, o += 4) BinaryPrimitives.WriteSingleLittleEndian(s[o..], c.Low[j]);
        for (int j = 0; j < z; j++, o += 4) BinaryPrimitives.WriteSingleLittleEndian(s[o..], c.High[j]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[o..], (uint)c.Payload.Length);
        o += 4;
        c.Payload.CopyTo(s[o..]);
        o += c.Payload.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(s[o..], Crc32.Compute(s[..o]));
        return b;
    }

    /// <summary>Parses container bytes; InvalidModelFileException naming <paramref name="source"/> and the problem when they are not a valid file.</summary>
    public static CompressedCodes FromBytes(ReadOnlySpan<byte> b, string source)
    {
        void Fail(string problem) => throw new InvalidModelFileException(source, problem);
        if (b.Length < 24 || !b[..4].SequenceEqual(Magic)) Fail($"not a Latent compressed-codes file (expected magic '{Encoding.ASCII.GetString(Magic)}')");
        int version = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]);
        if (version != Version) Fail($"container version {version}; this Latent reads version {Version}");
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(b[^4..]);
        if (crc != Crc32.Compute(b[..^4])) Fail("checksum mismatch: the file is damaged or truncated");
        int bits = b[6];
        long count = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]), z = BinaryPrimitives.ReadUInt32LittleEndian(b[12..]);
        if (bits is < 1 or > 12) Fail($"bits {bits} outside 1..12");
        if (count < 1 || z < 1 || z > 1 << 20 || count > 1 << 28) Fail($"implausible sizes: {count} images, code size {z}");
        long headerEnd = 16 + 8 * z + 4;
        if (headerEnd + 4 > b.Length) Fail($"truncated header: code size {z} needs {headerEnd + 4} bytes, file has {b.Length}");
        var lo = new float[z];
        var hi = new float[z];
        int o = 16;
        for (int j = 0; j < z; j++, o += 4) lo[j] = BinaryPrimitives.ReadSingleLittleEndian(b[o..]);
        for (int j = 0; j < z; j++, o += 4) hi[j] = BinaryPrimitives.ReadSingleLittleEndian(b[o..]);
        for (int j = 0; j < z; j++)
            if (!float.IsFinite(lo[j]) || !float.IsFinite(hi[j]) || hi[j] < lo[j]) Fail($"quantiser range of dimension {j} is [{lo[j]}, {hi[j]}]");
        long payload = BinaryPrimitives.ReadUInt32LittleEndian(b[o..]);
        o += 4;
        if (o + payload + 4 != b.Length) Fail($"payload of {payload} bytes does not fit the file's {b.Length} bytes");
        return new CompressedCodes(bits, (int)count, (int)z, lo, hi, b.Slice(o, (int)payload).ToArray());
    }

    /// <summary>Writes the container to <paramref name="path"/> atomically (no half-written file on failure).</summary>
    public static void Write(string path, CompressedCodes c)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, ToBytes(c));
    }

    /// <summary>Reads a container written by <see cref="Write"/>; FileNotFoundException or InvalidModelFileException naming the file otherwise.</summary>
    public static CompressedCodes Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"compressed file '{path}' not found", path);
        return FromBytes(File.ReadAllBytes(path), path);
    }

    private static int Level(float x, float lo, float hi, int levels) =>
        hi > lo ? Math.Clamp((int)Math.Round((x - lo) / (hi - lo) * (levels - 1)), 0, levels - 1) : 0;
}
