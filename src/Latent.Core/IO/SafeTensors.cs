using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Latent.Core.IO;

/// <summary>
/// Reads and writes the safetensors weight format (https://github.com/huggingface/safetensors):
/// an 8-byte little-endian header length <c>N</c>, then <c>N</c> bytes of UTF-8 JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {..}}</c>,
/// then the raw little-endian tensor data, with offsets relative to the start of the data section.
/// </summary>
/// <remarks>
/// Only <c>F32</c> tensors are supported (that is what <see cref="Tensor"/> holds). The writer keeps the
/// order it is given: header entries and data blocks appear in that order, packed contiguously, and the
/// header is padded with spaces so the data section starts at an 8-byte-aligned offset. The reader trusts
/// nothing it reads: every size and offset is checked against the file before anything is allocated, and
/// every failure is an <see cref="InvalidModelFileException"/> naming the file and the problem.
/// </remarks>
public static class SafeTensors
{
    /// <summary>The reserved header key that holds the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest header the reader accepts (100 MB), so a corrupt length cannot make it allocate gigabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Writes <paramref name="tensors"/> (in the given order) and optional <paramref name="metadata"/> to
    /// <paramref name="path"/> atomically: the file is either the old one or the complete new one.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty, duplicated or equal to <see cref="MetadataKey"/>.</exception>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Validate and build the header before touching the file system.
        var list = Validate(tensors);
        var header = BuildHeader(list, metadata);
        AtomicFile.Write(path, s => WriteCore(s, list, header));
    }

    /// <summary>Writes <paramref name="tensors"/> (in the given order) and optional <paramref name="metadata"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">A name is empty, duplicated or equal to <see cref="MetadataKey"/>.</exception>
    public static void Write(Stream stream, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var list = Validate(tensors);
        WriteCore(stream, list, BuildHeader(list, metadata));
    }

    /// <summary>
    /// Reads only the header of the safetensors file at <paramref name="path"/>: each tensor's name and shape (in
    /// header order) and the metadata, after checking the header and the data layout against the file size. Nothing
    /// sized by the tensors is allocated, so a caller can compare shapes with what it expects before loading.
    /// </summary>
    /// <exception cref="InvalidModelFileException">The file is malformed; the message names the file and the problem.</exception>
    public static (IReadOnlyList<(string Name, int[] Shape)> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return SafeTensorsReader.ReadHeaderOnly(fs, path);
    }

    /// <summary>Reads every tensor and the metadata of the safetensors file at <paramref name="path"/>.</summary>
    /// <returns>The tensors by name (in header order) and the metadata (empty when the file has none).</returns>
    /// <exception cref="InvalidModelFileException">The file is malformed; the message names the file and the problem.</exception>
    public static (IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return SafeTensorsReader.Read(fs, path);
    }

    /// <summary>Reads every tensor and the metadata from a seekable <paramref name="stream"/>, from its current position to its end.</summary>
    /// <param name="stream">A readable, seekable stream (its length bounds every size read from it).</param>
    /// <param name="sourceName">The name used in error messages (usually the file name).</param>
    /// <exception cref="InvalidModelFileException">The content is malformed.</exception>
    public static (IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanRead || !stream.CanSeek)
            throw new ArgumentException("SafeTensors.Read: the stream must be readable and seekable", nameof(stream));
        return SafeTensorsReader.Read(stream, sourceName);
    }

    private static List<(string Name, Tensor Tensor)> Validate(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in list)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("SafeTensors.Write: a tensor name is empty", nameof(tensors));
            if (name == MetadataKey) throw new ArgumentException($"SafeTensors.Write: '{MetadataKey}' is reserved and cannot name a tensor", nameof(tensors));
            if (tensor is null) throw new ArgumentException($"SafeTensors.Write: tensor '{name}' is null", nameof(tensors));
            if (!seen.Add(name)) throw new ArgumentException($"SafeTensors.Write: duplicate tensor name '{name}'", nameof(tensors));
        }
        return list;
    }

    private static byte[] BuildHeader(List<(string Name, Tensor Tensor)> list, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        // Relaxed escaping keeps non-ASCII names readable; the output is still valid JSON.
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is not null && metadata.Count > 0)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata)
                {
                    if (k is null || v is null) throw new ArgumentException("SafeTensors.Write: metadata keys and values must not be null", nameof(metadata));
                    w.WriteString(k, v);
                }
                w.WriteEndObject();
            }
            ulong offset = 0;
            foreach (var (name, tensor) in list)
            {
                ulong bytes = (ulong)tensor.Size * sizeof(float);
                w.WriteStartObject(name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (int d in tensor.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + bytes);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += bytes;
            }
            w.WriteEndObject();
        }
        // Pad with spaces so that 8 + N is a multiple of 8 and the data section is aligned.
        int len = (int)ms.Length;
        int padded = (len + 7) & ~7;
        var header = new byte[padded];
        ms.GetBuffer().AsSpan(0, len).CopyTo(header);
        header.AsSpan(len).Fill((byte)' ');
        return header;
    }

    private static void WriteCore(Stream s, List<(string Name, Tensor Tensor)> list, byte[] header)
    {
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
        s.Write(len);
        s.Write(header);
        byte[]? swap = null;
        foreach (var (_, tensor) in list)
        {
            ReadOnlySpan<float> values = tensor.Span;
            if (BitConverter.IsLittleEndian)
            {
                // The bytes as they are in memory: NaN payloads and -0 are kept bit for bit.
                s.Write(MemoryMarshal.AsBytes(values));
            }
            else
            {
                swap ??= new byte[1 << 16];
                for (int i = 0; i < values.Length; i += swap.Length / 4)
                {
                    int n = Math.Min(swap.Length / 4, values.Length - i);
                    for (int j = 0; j < n; j++)
                        BinaryPrimitives.WriteInt32LittleEndian(swap.AsSpan(4 * j), BitConverter.SingleToInt32Bits(values[i + j]));
                    s.Write(swap, 0, 4 * n);
                }
            }
        }
    }
}
