using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Latent.Core.IO;

/// <summary>
/// The validating safetensors reader behind <see cref="SafeTensors.Read(string)"/>. Every number read from the
/// file is checked before it is used: the header length against the file size and a cap, each entry's kinds,
/// shape × element size against its byte range (overflow-checked), and the ranges must tile the data section
/// exactly (no overlap, no gap, no trailing bytes), as the format requires.
/// </summary>
internal static class SafeTensorsReader
{
    /// <summary>Every dtype name the format defines, so that a valid-but-unsupported one gets a clear message.</summary>
    private static readonly HashSet<string> KnownDtypes = new(StringComparer.Ordinal)
    {
        "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2",
        "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64", "C64",
    };

    private readonly record struct Entry(string Name, int[] Shape, ulong Begin, ulong End);

    public static (IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(Stream s, string file)
    {
        var (entries, metadata) = ReadHeader(s, file);

        // The ranges tile the data section, so reading them in offset order is one sequential pass.
        var tensors = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        var byOffset = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long dataStart = s.Position;
        var loaded = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var e in byOffset)
        {
            int count = (int)((e.End - e.Begin) / sizeof(float));
            var data = new float[count];
            s.Position = dataStart + (long)e.Begin;
            ReadExactly(s, MemoryMarshal.AsBytes(data.AsSpan()), file, $"data of tensor '{e.Name}'");
            if (!BitConverter.IsLittleEndian)
            {
                var ints = MemoryMarshal.Cast<float, int>(data.AsSpan());
                for (int i = 0; i < ints.Length; i++) ints[i] = BinaryPrimitives.ReverseEndianness(ints[i]);
            }
            loaded[e.Name] = new Tensor(data, e.Shape);
        }
        foreach (var e in entries) tensors[e.Name] = loaded[e.Name];
        return (tensors, metadata);
    }

    /// <summary>
    /// Reads and validates the header only (names, shapes, the layout of the data section against the file size),
    /// leaving the stream at the start of the data section; nothing sized by the tensors is allocated.
    /// </summary>
    public static (IReadOnlyList<(string Name, int[] Shape)> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadHeaderOnly(Stream s, string file)
    {
        var (entries, metadata) = ReadHeader(s, file);
        return (entries.Select(e => (e.Name, e.Shape)).ToList(), metadata);
    }

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ReadHeader(Stream s, string file)
    {
        if (!s.CanSeek) throw Bad(file, "not a file that can be read twice (a pipe or device?)");
        long start = s.Position;
        long total = s.Length - start;
        if (total < 8)
            throw Bad(file, $"file is {total} bytes, shorter than the 8-byte header length field");

        Span<byte> lenBytes = stackalloc byte[8];
        ReadExactly(s, lenBytes, file, "header length");
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        ulong available = (ulong)(total - 8);
        if (headerLen > (ulong)SafeTensors.MaxHeaderBytes)
            throw Bad(file, $"header length {headerLen} exceeds the {SafeTensors.MaxHeaderBytes}-byte limit (file is {total} bytes)");
        if (headerLen > available)
            throw Bad(file, $"header length {headerLen} exceeds the {available} bytes after the length field (file truncated?)");
        if (headerLen < 2)
            throw Bad(file, $"header length {headerLen} is too small for a JSON object");

        var header = new byte[headerLen];
        ReadExactly(s, header, file, "header");
        ulong dataLen = available - headerLen;

        var (entries, metadata) = ParseHeader(header, file);
        CheckLayout(entries, dataLen, file);
        return (entries, metadata);
    }

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(byte[] header, string file)
    {
        // JsonDocument accepts invalid UTF-8 inside strings until they are read; reject it up front.
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw Bad(file, "header is not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw Bad(file, $"header is not valid JSON ({ex.Message})", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Bad(file, $"header is a JSON {Kind(root.ValueKind)}, expected an object");

            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in root.EnumerateObject())
            {
                if (!names.Add(prop.Name))
                    throw Bad(file, $"header names '{prop.Name}' twice");
                if (prop.Name == SafeTensors.MetadataKey)
                {
                    ParseMetadata(prop.Value, metadata, file);
                    continue;
                }
                entries.Add(ParseEntry(prop.Name, prop.Value, file));
            }
            return (entries, metadata);
        }
    }

    private static void ParseMetadata(JsonElement meta, Dictionary<string, string> metadata, string file)
    {
        if (meta.ValueKind != JsonValueKind.Object)
            throw Bad(file, $"'{SafeTensors.MetadataKey}' is a JSON {Kind(meta.ValueKind)}, expected an object of strings");
        foreach (var m in meta.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String)
                throw Bad(file, $"metadata '{m.Name}' is a JSON {Kind(m.Value.ValueKind)}, expected a string");
            if (!metadata.TryAdd(m.Name, m.Value.GetString()!))
                throw Bad(file, $"metadata names '{m.Name}' twice");
        }
    }

    private static Entry ParseEntry(string name, JsonElement e, string file)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw Bad(file, $"tensor '{name}' is a JSON {Kind(e.ValueKind)}, expected an object with dtype, shape and data_offsets");

        JsonElement? dtypeEl = null, shapeEl = null, offsetsEl = null;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!keys.Add(p.Name)) throw Bad(file, $"tensor '{name}' names '{p.Name}' twice");
            switch (p.Name)
            {
                case "dtype": dtypeEl = p.Value; break;
                case "shape": shapeEl = p.Value; break;
                case "data_offsets": offsetsEl = p.Value; break;
            }
        }

        if (dtypeEl is not { } dtype) throw Bad(file, $"tensor '{name}' has no dtype");
        if (shapeEl is not { } shape) throw Bad(file, $"tensor '{name}' has no shape");
        if (offsetsEl is not { } offsets) throw Bad(file, $"tensor '{name}' has no data_offsets");

        if (dtype.ValueKind != JsonValueKind.String)
            throw Bad(file, $"tensor '{name}' dtype is a JSON {Kind(dtype.ValueKind)}, expected a string");
        string dt = dtype.GetString()!;
        if (dt != "F32")
            throw Bad(file, KnownDtypes.Contains(dt)
                ? $"tensor '{name}' has dtype {dt}; only F32 is supported"
                : $"tensor '{name}' has unknown dtype '{dt}'");

        if (shape.ValueKind != JsonValueKind.Array)
            throw Bad(file, $"tensor '{name}' shape is a JSON {Kind(shape.ValueKind)}, expected an array of integers");
        var dims = new int[shape.GetArrayLength()];
        ulong elements = 1;
        bool overflow = false;
        int i = 0;
        foreach (var d in shape.EnumerateArray())
        {
            ulong dim = ReadNonNegative(d, file, $"tensor '{name}' shape[{i}]");
            if (dim > int.MaxValue)
                throw Bad(file, $"tensor '{name}' shape[{i}] = {dim} exceeds {int.MaxValue}");
            dims[i++] = (int)dim;
            // Saturate instead of wrapping: a product that overflows can never match a real byte range.
            if (!overflow && dim != 0 && elements > ulong.MaxValue / dim) overflow = true;
            else elements *= dim;
        }
        if (dims.Contains(0)) { elements = 0; overflow = false; }

        if (offsets.ValueKind != JsonValueKind.Array)
            throw Bad(file, $"tensor '{name}' data_offsets is a JSON {Kind(offsets.ValueKind)}, expected [begin, end]");
        if (offsets.GetArrayLength() != 2)
            throw Bad(file, $"tensor '{name}' data_offsets has {offsets.GetArrayLength()} numbers, expected 2 (begin, end)");
        ulong begin = ReadNonNegative(offsets[0], file, $"tensor '{name}' data_offsets[0]");
        ulong end = ReadNonNegative(offsets[1], file, $"tensor '{name}' data_offsets[1]");
        if (end < begin)
            throw Bad(file, $"tensor '{name}' data_offsets [{begin}, {end}] end before begin");

        string shapeText = "[" + string.Join(",", dims) + "]";
        if (overflow || elements > ulong.MaxValue / sizeof(float))
            throw Bad(file, $"tensor '{name}' shape {shapeText} has too many elements for any file (size overflows)");
        ulong expected = elements * sizeof(float);
        if (expected != end - begin)
            throw Bad(file, $"tensor '{name}' shape {shapeText} F32 needs {expected} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        if (elements > int.MaxValue)
            throw Bad(file, $"tensor '{name}' shape {shapeText} has {elements} elements, more than the {int.MaxValue} a tensor can hold");
        return new Entry(name, dims, begin, end);
    }

    private static ulong ReadNonNegative(JsonElement d, string file, string what)
    {
        if (d.ValueKind != JsonValueKind.Number)
            throw Bad(file, $"{what} is a JSON {Kind(d.ValueKind)}, expected a non-negative integer");
        if (d.TryGetUInt64(out ulong u)) return u;
        if (d.TryGetInt64(out long l) && l < 0)
            throw Bad(file, $"{what} = {l} is negative");
        throw Bad(file, $"{what} = {d.GetRawText()} is not a non-negative integer that fits 64 bits");
    }

    private static void CheckLayout(List<Entry> entries, ulong dataLen, string file)
    {
        ulong covered = 0;
        Entry? prev = null;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.End > dataLen)
                throw Bad(file, $"tensor '{e.Name}' data_offsets [{e.Begin}, {e.End}] run past the {dataLen}-byte data section");
            if (e.Begin < covered)
                throw Bad(file, $"tensor '{e.Name}' data_offsets [{e.Begin}, {e.End}] overlap tensor '{prev!.Value.Name}' [{prev.Value.Begin}, {prev.Value.End}]");
            if (e.Begin > covered)
                throw Bad(file, $"gap in the data section: bytes [{covered}, {e.Begin}) before tensor '{e.Name}' belong to no tensor");
            covered = e.End;
            prev = e;
        }
        if (covered != dataLen)
            throw Bad(file, $"data section is {dataLen} bytes but the tensors cover {covered} (trailing bytes)");
    }

    private static void ReadExactly(Stream s, Span<byte> buffer, string file, string what)
    {
        try
        {
            s.ReadExactly(buffer);
        }
        catch (EndOfStreamException ex)
        {
            throw Bad(file, $"file ended while reading the {what} ({buffer.Length} bytes expected)", ex);
        }
    }

    private static string Kind(JsonValueKind k) => k switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => k.ToString(),
    };

    private static InvalidModelFileException Bad(string file, string problem, Exception? inner = null) => new(file, problem, inner);
}
