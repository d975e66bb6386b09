using System.Buffers.Binary;
using System.Text;
using Latent.Core.IO;

namespace Latent.Models.Compression;

/// <summary>
/// Lossless coding of vector-quantised codes (the index maps of a VQ-VAE or VQ-VAE-2): every index is arithmetic-coded
/// with one adaptive frequency model per map (<see cref="AdaptiveModel"/>, <see cref="ArithmeticEncoder"/>), so
/// frequently used code-book entries cost fewer than log2 K bits; the decoder rebuilds the same models, so no table is
/// stored. Container:
/// <code>
/// "LTNV" | version u16 | maps u16 | count u32 | (K u32 | positions u32) per map | payload length u32 | payload | CRC-32 u32
/// </code>
/// (little-endian; the CRC covers every byte before it).
/// </summary>
public static class IndexCodec
{
    /// <summary>The file's first four bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "LTNV"u8;

    /// <summary>The container version written and read.</summary>
    public const int Version = 1;

    /// <summary>
    /// Codes <paramref name="maps"/>: map l holds <paramref name="count"/>·positions_l indices in 0..K_l − 1, image by image
    /// (e.g. <c>VqVae.EncodeIndices</c>, row-major over [N, h, w]); <paramref name="codebookSizes"/>[l] = K_l (2..65,536).
    /// </summary>
    public static CompressedIndices Compress(IReadOnlyList<int[]> maps, IReadOnlyList<int> codebookSizes, int count)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(codebookSizes);
        if (maps.Count is < 1 or > 16) throw new ArgumentException($"IndexCodec: {maps.Count} index maps; expected 1..16", nameof(maps));
        if (codebookSizes.Count != maps.Count) throw new ArgumentException($"IndexCodec: {codebookSizes.Count} code-book sizes for {maps.Count} maps", nameof(codebookSizes));
        if (count < 1) throw new ArgumentException($"IndexCodec: image count {count} must be positive", nameof(count));
        var positions = new int[maps.Count];
        for (int l = 0; l < maps.Count; l++)
        {
            ArgumentNullException.ThrowIfNull(maps[l], nameof(maps));
            if (codebookSizes[l] is < 2 or > 1 << 16) throw new ArgumentException($"IndexCodec: code-book size {codebookSizes[l]} of map {l} outside 2..65536", nameof(codebookSizes));
            if (maps[l].Length == 0 || maps[l].Length % count != 0) throw new ArgumentException($"IndexCodec: map {l} has {maps[l].Length} indices, not a positive multiple of {count} images", nameof(maps));
            positions[l] = maps[l].Length / count;
            foreach (int k in maps[l])
                if ((uint)k >= (uint)codebookSizes[l]) throw new ArgumentException($"IndexCodec: index {k} of map {l} outside 0..{codebookSizes[l] - 1}", nameof(maps));
        }
        var models = codebookSizes.Select(k => new AdaptiveModel(k)).ToArray();
        var enc = new ArithmeticEncoder();
        for (int i = 0; i < count; i++)
        for (int l = 0; l < maps.Count; l++)
        for (int p = 0; p < positions[l]; p++)
            enc.Encode(maps[l][i * positions[l] + p], models[l]);
        return new CompressedIndices(count, [.. codebookSizes], positions, enc.Finish());
    }

    /// <summary>The index maps back, in the layout <see cref="Compress"/> took them.</summary>
    public static int[][] Decompress(CompressedIndices c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var models = c.CodebookSizes.Select(k => new AdaptiveModel(k)).ToArray();
        var maps = c.Positions.Select(p => new int[c.Count * p]).ToArray();
        var dec = new ArithmeticDecoder(c.Payload);
        for (int i = 0; i < c.Count; i++)
        for (int l = 0; l < maps.Length; l++)
        for (int p = 0; p < c.Positions[l]; p++)
            maps[l][i * c.Positions[l] + p] = dec.Decode(models[l]);
        return maps;
    }

    /// <summary>The container bytes of <paramref name="c"/>.</summary>
    public static byte[] ToBytes(CompressedIndices c)
    {
        ArgumentNullException.ThrowIfNull(c);
        int maps = c.CodebookSizes.Length;
        var b = new byte[12 + 8 * maps + 4 + c.Payload.Length + 4];
        var s = b.AsSpan();
        Magic.CopyTo(s);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], (ushort)maps);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)c.Count);
        int o = 12;
        for (int l = 0; l < maps; l++, o += 8)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[o..], (uint)c.CodebookSizes[l]);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(o + 4)..], (uint)c.Positions[l]);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(s[o..], (uint)c.Payload.Length);
        o += 4;
        c.Payload.CopyTo(s[o..]);
        o += c.Payload.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(s[o..], Crc32.Compute(s[..o]));
        return b;
    }

    /// <summary>Parses container bytes; InvalidModelFileException naming <paramref name="source"/> and the problem when they are not a valid file.</summary>
    public static CompressedIndices FromBytes(ReadOnlySpan<byte> b, string source)
    {
        void Fail(string problem) => throw new InvalidModelFileException(source, problem);
        if (b.Length < 20 || !b[..4].SequenceEqual(Magic)) Fail($"not a Latent compressed-indices file (expected magic '{Encoding.ASCII.GetString(Magic)}')");
        int version = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]);
        if (version != Version) Fail($"container version {version}; this Latent reads version {Version}");
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(b[^4..]);
        if (crc != Crc32.Compute(b[..^4])) Fail("checksum mismatch: the file is damaged or truncated");
        int maps = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]);
        long count = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
        if (maps is < 1 or > 16 || count < 1 || count > 1 << 28) Fail($"implausible sizes: {maps} maps, {count} images");
        int o = 12;
        if (o + 8 * maps + 8 > b.Length) Fail($"truncated header: {maps} maps need {o + 8 * maps + 8} bytes, file has {b.Length}");
        var sizes = new int[maps];
        var positions = new int[maps];
        for (int l = 0; l < maps; l++, o += 8)
        {
            long k = BinaryPrimitives.ReadUInt32LittleEndian(b[o..]), p = BinaryPrimitives.ReadUInt32LittleEndian(b[(o + 4)..]);
            if (k is < 2 or > 1 << 16 || p < 1 || p * count > 1 << 30) Fail($"map {l}: code-book size {k} or {p} positions per image out of range");
            sizes[l] = (int)k;
            positions[l] = (int)p;
        }
        long payload = BinaryPrimitives.ReadUInt32LittleEndian(b[o..]);
        o += 4;
        if (o + payload + 4 != b.Length) Fail($"payload of {payload} bytes does not fit the file's {b.Length} bytes");
        return new CompressedIndices((int)count, sizes, positions, b.Slice(o, (int)payload).ToArray());
    }

    /// <summary>Writes the container to <paramref name="path"/> atomically (no half-written file on failure).</summary>
    public static void Write(string path, CompressedIndices c)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, ToBytes(c));
    }

    /// <summary>Reads a container written by <see cref="Write"/>; FileNotFoundException or InvalidModelFileException naming the file otherwise.</summary>
    public static CompressedIndices Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"compressed file '{path}' not found", path);
        return FromBytes(File.ReadAllBytes(path), path);
    }
}
