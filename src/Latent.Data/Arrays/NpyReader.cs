using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Latent.Core.IO;

namespace Latent.Data.Arrays;

/// <summary>
/// Reads NumPy .npy arrays (format versions 1.0, 2.0, 3.0) and .npz archives (ZIP, stored or deflated).
/// Supported dtypes: float32, float64, uint8, int8, int32, int64, bool; little- or big-endian (big-endian is byte-swapped);
/// C or Fortran order (Fortran is transposed to C). Object arrays and other dtypes throw <see cref="DatasetFormatException"/>.
/// </summary>
public static class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a .npy file (at most <see cref="InputLimits.MaxInputBytes"/> bytes).</summary>
    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"data file not found: {path}", path);
        return Parse(InputLimits.ReadAllBytes(path, why => new DatasetFormatException(path, why)), path);
    }

    /// <summary>Reads every array of a .npz file, keyed by entry name without ".npy".</summary>
    public static IReadOnlyDictionary<string, NpyArray> ReadNpz(string path) => ReadNpz(path, null);

    /// <summary>
    /// Reads the arrays named <paramref name="keys"/> (entry names without ".npy"; null = every array) of a .npz file.
    /// Only those members are decompressed; each one's declared size is checked against
    /// <see cref="InputLimits.MaxInputBytes"/> first, decompression stops at that size, and its CRC-32 must match.
    /// Keys the archive does not hold are left out of the result.
    /// </summary>
    public static IReadOnlyDictionary<string, NpyArray> ReadNpz(string path, IReadOnlyCollection<string>? keys)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        using var zip = OpenZip(path);
        long limit = InputLimits.MaxInputBytes;
        IReadOnlyList<ZipArchiveEntry> entries;
        try
        {
            entries = zip.Entries;
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"not a valid NPZ (ZIP) archive: {e.Message}", e);
        }
        foreach (var entry in entries)
        {
            if (entry.FullName.EndsWith('/')) continue;
            string key = KeyOf(entry);
            if (keys is not null && !keys.Contains(key)) continue;
            string source = $"{path}:{entry.FullName}";
            if (entry.Length > limit)
                throw new DatasetFormatException(source, $"ZIP member declares {InputLimits.Format(entry.Length)} uncompressed, over {InputLimits.Describe()}");
            if (entry.Length < 0) throw new DatasetFormatException(source, $"ZIP member declares a negative size {entry.Length}");
            var bytes = new byte[entry.Length];
            uint crc;
            try
            {
                using var s = entry.Open();
                int got = s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
                if (got != bytes.Length)
                    throw new DatasetFormatException(source, $"ZIP member declares {entry.Length} bytes but holds {got} (truncated)");
                if (s.ReadByte() >= 0)
                    throw new DatasetFormatException(source, $"ZIP member declares {entry.Length} bytes but holds more");
                crc = Crc32.Compute(bytes);
            }
            catch (InvalidDataException e)
            {
                throw new DatasetFormatException(source, $"corrupt ZIP entry: {e.Message}", e);
            }
            catch (IOException e) when (e is not FileNotFoundException)
            {
                throw new DatasetFormatException(source, $"corrupt ZIP entry: {e.Message}", e);
            }
            if (crc != entry.Crc32)
                throw new DatasetFormatException(source, $"ZIP member CRC-32 mismatch: stored {entry.Crc32:X8}, computed {crc:X8} (corrupt archive)");
            result[key] = Parse(bytes, source);
        }
        return result;
    }

    /// <summary>The array names of a .npz file (entry names without ".npy"), without decompressing anything.</summary>
    public static IReadOnlyList<string> NpzKeys(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var zip = OpenZip(path);
        try
        {
            return zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(KeyOf).ToList();
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"not a valid NPZ (ZIP) archive: {e.Message}", e);
        }
    }

    private static string KeyOf(ZipArchiveEntry entry) =>
        entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;

    private static ZipArchive OpenZip(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"data file not found: {path}", path);
        var length = new FileInfo(path).Length;
        if (length > InputLimits.MaxInputBytes)
            throw new DatasetFormatException(path, $"the file is {InputLimits.Format(length)}, over {InputLimits.Describe()}");
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"not a valid NPZ (ZIP) archive: {e.Message}", e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new DatasetFormatException(path, $"not a valid NPZ (ZIP) archive: {e.Message}", e);
        }
    }

    /// <summary>Parses .npy bytes; <paramref name="source"/> names them in errors.</summary>
    public static NpyArray Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var h = ParseHeader(bytes, bytes.Length, source);
        var data = bytes.AsSpan(h.DataStart, (int)h.DataBytes).ToArray();
        if (h.BigEndian && h.ItemSize > 1)
            for (int i = 0; i < data.Length; i += h.ItemSize) data.AsSpan(i, h.ItemSize).Reverse();
        if (h.Fortran && h.Shape.Length > 1) data = FortranToC(data, h.Shape, h.ItemSize);
        return new NpyArray(source, h.Kind, h.ItemSize, h.Shape, data);
    }

    /// <summary>What an NPY header says, checked against the length of the file.</summary>
    /// <param name="Kind">NumPy kind: 'f', 'i', 'u' or 'b'.</param>
    /// <param name="ItemSize">Bytes per element.</param>
    /// <param name="BigEndian">True when the elements are stored big-endian.</param>
    /// <param name="Fortran">True when the elements are in Fortran (column-major) order.</param>
    /// <param name="Shape">Dimensions, outermost first.</param>
    /// <param name="DataStart">Offset of the first element.</param>
    /// <param name="DataBytes">Bytes of element data (the rest of the file).</param>
    internal readonly record struct NpyHeader(char Kind, int ItemSize, bool BigEndian, bool Fortran, int[] Shape, int DataStart, long DataBytes)
    {
        /// <summary>The NumPy dtype string as <see cref="NpyArray.Dtype"/> gives it ("&lt;f4", "|u1").</summary>
        public string Dtype => (ItemSize == 1 ? "|" : "<") + Kind + ItemSize;
    }

    /// <summary>
    /// Parses and checks the header of a .npy of <paramref name="length"/> bytes whose first bytes are
    /// <paramref name="head"/> (the whole header, or the whole file when it is shorter): magic, version, the dict, a
    /// supported dtype, the shape against the input limit, and the data length against the file length.
    /// </summary>
    internal static NpyHeader ParseHeader(ReadOnlySpan<byte> head, long length, string source)
    {
        if (length < 10 || head.Length < 10 || !head[..6].SequenceEqual(Magic))
            throw new DatasetFormatException(source, $"offset 0: expected the NPY magic \\x93NUMPY, found {Convert.ToHexString(head[..Math.Min(6, head.Length)])}");
        int major = head[6];
        int headerLen, headerStart;
        if (major == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(head[8..]); headerStart = 10; }
        else if (major is 2 or 3)
        {
            if (length < 12 || head.Length < 12) throw new DatasetFormatException(source, "offset 8: truncated header length");
            uint l = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
            if (l > int.MaxValue) throw new DatasetFormatException(source, $"offset 8: header length {l} is too large");
            headerLen = (int)l;
            headerStart = 12;
        }
        else throw new DatasetFormatException(source, $"offset 6: NPY format version {major}.{head[7]}, expected 1.x, 2.x or 3.x");
        if (length - headerStart < headerLen)
            throw new DatasetFormatException(source, $"offset {headerStart}: header of {headerLen} bytes but only {length - headerStart} remain (truncated)");
        if (head.Length - headerStart < headerLen)
            throw new DatasetFormatException(source, $"offset {headerStart}: header of {headerLen} bytes is too large to read");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(head.Slice(headerStart, headerLen));
        var dict = ParseDict(header.Trim(), source, headerStart);

        if (!dict.TryGetValue("descr", out var descrObj) || descrObj is not string descr)
            throw new DatasetFormatException(source, $"header: expected a string 'descr', found {Describe(dict, "descr")}");
        if (!dict.TryGetValue("fortran_order", out var fo) || fo is not bool fortran)
            throw new DatasetFormatException(source, $"header: expected a boolean 'fortran_order', found {Describe(dict, "fortran_order")}");
        if (!dict.TryGetValue("shape", out var shapeObj) || shapeObj is not List<object> shapeList || shapeList.Any(v => v is not long))
            throw new DatasetFormatException(source, $"header: expected an integer tuple 'shape', found {Describe(dict, "shape")}");

        if (descr.Length < 3) throw new DatasetFormatException(source, $"header: dtype '{descr}' is not a simple dtype");
        char order = descr[0], kind = descr[1];
        if (!int.TryParse(descr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int itemSize) || order is not ('<' or '>' or '|' or '='))
            throw new DatasetFormatException(source, $"header: dtype '{descr}' is not a simple dtype like '<f4'");
        bool supported = (kind, itemSize) is ('f', 4) or ('f', 8) or ('u', 1) or ('i', 1) or ('i', 4) or ('i', 8) or ('b', 1);
        if (!supported)
            throw new DatasetFormatException(source, $"header: dtype '{descr}' is not supported; expected float32/64, uint8, int8/32/64 or bool");

        var shape = new int[shapeList.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = (long)shapeList[i];
            if (d < 0 || d > int.MaxValue) throw new DatasetFormatException(source, $"header: shape dimension {i} is {d}");
            shape[i] = (int)d;
            count *= d;
            if (count * itemSize > int.MaxValue) throw new DatasetFormatException(source, $"header: shape ({string.Join(", ", shape[..(i + 1)])}) is too large");
        }
        if (count * Math.Max(itemSize, sizeof(float)) > InputLimits.MaxInputBytes)
            throw new DatasetFormatException(source, $"header: shape ({string.Join(", ", shape)}) holds {count} values, over {InputLimits.Describe()}");
        int dataStart = headerStart + headerLen;
        long expected = count * itemSize;
        if (length - dataStart != expected)
            throw new DatasetFormatException(source,
                $"offset {dataStart}: shape ({string.Join(", ", shape)}) of {descr} needs {expected} data bytes, found {length - dataStart} ({(length - dataStart < expected ? "truncated" : "trailing data")})");
        return new NpyHeader(kind, itemSize, order == '>', fortran, shape, dataStart, expected);
    }

    /// <summary>
    /// Loads a dataset from a .npy file (first axis = samples) and an optional .npy of labels, or from a .npz file
    /// with arrays named <paramref name="xKey"/> and optionally <paramref name="labelKey"/>. Integer pixel arrays
    /// (uint8) are scaled to [0, 1]; other dtypes are kept as they are.
    /// </summary>
    public static Dataset LoadDataset(string path, string? labelsPath = null, string xKey = "x", string labelKey = "y")
    {
        ArgumentNullException.ThrowIfNull(path);
        NpyArray x;
        NpyArray? y = null;
        if (IsZip(path))
        {
            var arrays = ReadNpz(path, [xKey, labelKey]);
            if (!arrays.TryGetValue(xKey, out x!))
                throw new DatasetFormatException(path, $"NPZ has no array '{xKey}'; found [{string.Join(", ", NpzKeys(path))}]");
            arrays.TryGetValue(labelKey, out y);
        }
        else x = Read(path);
        if (labelsPath is not null) y = IsZip(labelsPath) ? FirstArray(labelsPath) : Read(labelsPath);
        if (x.Shape.Length == 0)
            throw new DatasetFormatException(x.Source, "expected an array with a first axis of samples, found a scalar");
        int n = x.Shape[0];
        int[] sample = x.Shape.Length == 1 ? [1] : x.Shape[1..];
        if (sample.Any(d => d == 0)) throw new DatasetFormatException(x.Source, $"sample shape [{string.Join(",", sample)}] has a zero dimension");
        var values = x.ToSingle();
        if (x.Kind == 'f')
        {
            int bad = Array.FindIndex(values, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new DatasetFormatException(x.Source, $"element {bad} is {values[bad]}: expected finite values (NaN, infinities and float64 values beyond the float32 range are refused)");
        }
        if (x.Kind == 'u' && x.ItemSize == 1)
            for (int i = 0; i < values.Length; i++) values[i] /= 255f;
        int[]? labels = null;
        if (y is not null)
        {
            labels = y.ToInt32();
            if (labels.Length != n)
                throw new DatasetFormatException(y.Source, $"expected {n} labels (one per sample of {x.Source}), found {labels.Length}");
        }
        return new Dataset(x.Source, values, sample, labels)
            .WithDescription($"NPY {x.Source}: {n} samples of shape [{string.Join(",", sample)}] ({x.Dtype})" + (y is null ? "" : $", labels from {y.Source}"));
    }

    private static NpyArray FirstArray(string path)
    {
        var keys = NpzKeys(path);
        if (keys.Count == 0) throw new DatasetFormatException(path, "NPZ holds no arrays");
        return ReadNpz(path, [keys[0]])[keys[0]];
    }

    private static bool IsZip(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"data file not found: {path}", path);
        using var fs = File.OpenRead(path);
        Span<byte> b = stackalloc byte[4];
        return fs.ReadAtLeast(b, 4, throwOnEndOfStream: false) == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    private static byte[] FortranToC(byte[] data, int[] shape, int itemSize)
    {
        // Element at C multi-index (i0..ik) sits at Fortran offset sum(i_j * prod(shape[<j])).
        int rank = shape.Length;
        var fstride = new long[rank];
        long acc = 1;
        for (int j = 0; j < rank; j++) { fstride[j] = acc; acc *= shape[j]; }
        var o = new byte[data.Length];
        var idx = new int[rank];
        long n = data.Length / itemSize;
        for (long c = 0; c < n; c++)
        {
            long f = 0;
            for (int j = 0; j < rank; j++) f += idx[j] * fstride[j];
            Buffer.BlockCopy(data, (int)(f * itemSize), o, (int)(c * itemSize), itemSize);
            for (int j = rank - 1; j >= 0; j--)
            {
                if (++idx[j] < shape[j]) break;
                idx[j] = 0;
            }
        }
        return o;
    }

    private static string Describe(Dictionary<string, object?> d, string key) =>
        d.TryGetValue(key, out var v) ? v switch { null => "None", List<object> l => $"({string.Join(", ", l)})", _ => v.ToString() ?? "?" } : "nothing";

    // A tiny parser for the Python literal dict NumPy writes: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
    private static Dictionary<string, object?> ParseDict(string s, string source, int offset)
    {
        int i = 0;
        object? v = Value(s, ref i, source, offset, 0);
        if (v is not Dictionary<string, object?> d)
            throw new DatasetFormatException(source, $"offset {offset}: header is not a dict: '{s}'");
        return d;
    }

    private static object? Value(string s, ref int i, string source, int offset, int depth)
    {
        if (depth > InputLimits.MaxNesting)
            throw new DatasetFormatException(source, $"offset {offset + i}: header: brackets nested deeper than {InputLimits.MaxNesting} levels");
        Skip(s, ref i);
        if (i >= s.Length) throw Bad(s, i, source, offset, "a value");
        char ch = s[i];
        if (ch == '{')
        {
            var d = new Dictionary<string, object?>(StringComparer.Ordinal);
            i++;
            while (true)
            {
                Skip(s, ref i);
                if (i < s.Length && s[i] == '}') { i++; return d; }
                if (Value(s, ref i, source, offset, depth + 1) is not string key) throw Bad(s, i, source, offset, "a string key");
                Skip(s, ref i);
                if (i >= s.Length || s[i] != ':') throw Bad(s, i, source, offset, "':'");
                i++;
                d[key] = Value(s, ref i, source, offset, depth + 1);
                Skip(s, ref i);
                if (i < s.Length && s[i] == ',') { i++; continue; }
                if (i < s.Length && s[i] == '}') { i++; return d; }
                throw Bad(s, i, source, offset, "',' or '}'");
            }
        }
        if (ch is '(' or '[')
        {
            char close = ch == '(' ? ')' : ']';
            var list = new List<object>();
            i++;
            while (true)
            {
                Skip(s, ref i);
                if (i < s.Length && s[i] == close) { i++; return list; }
                list.Add(Value(s, ref i, source, offset, depth + 1) ?? "None");
                Skip(s, ref i);
                if (i < s.Length && s[i] == ',') { i++; continue; }
                if (i < s.Length && s[i] == close) { i++; return list; }
                throw Bad(s, i, source, offset, $"',' or '{close}'");
            }
        }
        if (ch is '\'' or '"')
        {
            int end = s.IndexOf(ch, i + 1);
            if (end < 0) throw Bad(s, i, source, offset, "a closing quote");
            var str = s[(i + 1)..end];
            i = end + 1;
            return str;
        }
        int start = i;
        while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '-' or '_' or 'L')) i++;
        var tok = s[start..i];
        if (tok == "True") return true;
        if (tok == "False") return false;
        if (tok == "None") return null;
        if (long.TryParse(tok.TrimEnd('L'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)) return n;
        throw Bad(s, start, source, offset, "a literal");
    }

    private static void Skip(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
    }

    private static DatasetFormatException Bad(string s, int i, string source, int offset, string expected) =>
        new(source, $"offset {offset + i}: header: expected {expected}, found '{(i < s.Length ? s[i..Math.Min(s.Length, i + 12)] : "end of header")}'");
}
