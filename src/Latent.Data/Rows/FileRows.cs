using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Latent.Core.IO;
using Latent.Data.Arrays;
using Latent.Data.Idx;
using Microsoft.Win32.SafeHandles;

namespace Latent.Data.Rows;

/// <summary>
/// The rows of an uncompressed data file, read on demand with positioned reads (pread, no memory map: only the rows
/// asked for are copied into the process): a C-order <c>.npy</c> whose first axis is the samples (float32/64, uint8,
/// int8/32/64, bool; either byte order) or an IDX image file of unsigned bytes [N, H, W] (samples [1, H, W]). Row i
/// starts at the data offset + i · row bytes. Values are decoded exactly as <see cref="NpyReader.LoadDataset"/> and
/// <see cref="IdxReader.Load"/> decode them (unsigned bytes scaled by 1/255), so a dataset read through this equals the
/// loaded one bit for bit.
/// <para>Opening checks what the whole-file readers check before any row is read: the header (magic, dtype, dimensions,
/// the input limit) against the file's length, and for floating-point .npy every value once (NaN and infinities are
/// refused), streamed in blocks. Errors are <see cref="DatasetFormatException"/>s naming the file. Files without
/// random access — gzip (its deflate stream must be read from the start), .npz (a zip of usually deflated members),
/// Fortran-order arrays (a row is scattered over the file) — are not opened: <see cref="TryOpen(string)"/> returns null.</para>
/// </summary>
public sealed class FileRows : IRowSource, IDisposable
{
    private const int BlockBytes = 1 << 20;
    private readonly SafeFileHandle _file;
    private readonly int[] _shape;
    private readonly long _dataStart;
    private readonly int _rowBytes, _rowSize, _itemSize;
    private readonly char _kind;
    private readonly bool _bigEndian;
    private long _rowsRead;

    private FileRows(SafeFileHandle file, string path, string format, string dtype, int count, int[] shape, long dataStart, char kind, int itemSize, bool bigEndian)
    {
        _file = file;
        Name = path;
        Format = format;
        Dtype = dtype;
        Count = count;
        _shape = shape;
        _dataStart = dataStart;
        _kind = kind;
        _itemSize = itemSize;
        _bigEndian = bigEndian;
        _rowSize = Latent.Core.Shapes.Size(shape);
        _rowBytes = _rowSize * itemSize;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>"npy" or "idx".</summary>
    public string Format { get; }

    /// <summary>The element type on disk, as NumPy names it ("&lt;f4", "|u1"; IDX images are "|u1").</summary>
    public string Dtype { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int[] SampleShape => (int[])_shape.Clone();

    /// <summary>Rows read so far by <see cref="Read"/> (the check on opening not counted).</summary>
    public long RowsRead => Interlocked.Read(ref _rowsRead);

    /// <summary>
    /// Opens <paramref name="path"/> for reading rows, or returns null when the file has no row-level random access
    /// (gzip, zip/.npz, a Fortran-order array of more than one dimension). A .npy is recognised by its magic bytes;
    /// anything else is read as IDX images, as <c>latent train --data FILE</c> reads it.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DatasetFormatException">The header is malformed, does not match the file's length, is over the
    /// input limit, or a floating-point value is not finite.</exception>
    public static FileRows? TryOpen(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"data file not found: {path}", path);
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long length = RandomAccess.GetLength(file);
            Span<byte> magic = stackalloc byte[6];
            int got = ReadAt(file, magic, 0);
            FileRows? rows;
            if (got >= 2 && magic[0] == 0x1F && magic[1] == 0x8B) rows = null;
            else if (got >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) rows = null;
            else if (got == 6 && magic[0] == 0x93 && magic[1..].SequenceEqual("NUMPY"u8)) rows = OpenNpy(file, path, length);
            else rows = OpenIdx(file, path, length);
            if (rows is null) file.Dispose();
            return rows;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <see cref="TryOpen(string)"/>, except that a gzip file is first decompressed once into
    /// <paramref name="gzipCache"/> (<see cref="Decompressed"/>) and the copy opened.
    /// </summary>
    public static FileRows? TryOpen(string path, string? gzipCache)
    {
        ArgumentNullException.ThrowIfNull(path);
        return gzipCache is not null && DataFile.IsGzip(path) ? TryOpen(Decompressed(path, gzipCache)) : TryOpen(path);
    }

    /// <summary>
    /// The decompressed content of the gzip file <paramref name="path"/> as a file in <paramref name="folder"/>, written
    /// the first time (the gzip trailer's CRC-32 and length checked, at most the input limit) and reused while the file
    /// keeps its path, size and modification time, which name the copy. Processes that race write their own temporary
    /// file and the first rename wins, so a copy is never seen half-written.
    /// </summary>
    public static string Decompressed(string path, string folder)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(folder);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"data file not found: {path}", path);
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}")));
        string name = info.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? info.Name[..^3] : info.Name + ".raw";
        string target = Path.Combine(folder, Convert.ToHexString(key, 0, 8).ToLowerInvariant() + "-" + name);
        if (File.Exists(target)) return target;
        Directory.CreateDirectory(folder);
        string temporary = string.Create(CultureInfo.InvariantCulture, $"{target}.{Environment.ProcessId}.tmp");
        try
        {
            using (var source = DataFile.OpenRead(path))
            using (var copy = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                source.CopyTo(copy);
            try
            {
                File.Move(temporary, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another process finished the same copy first.
            }
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return target;
    }

    /// <summary>
    /// A dataset whose samples are read from these rows on demand, named and described as the whole-file reader names
    /// and describes it (<see cref="NpyReader.LoadDataset"/>, <see cref="IdxReader.Load"/>), with labels read whole from
    /// <paramref name="labelsPath"/> (an IDX label file for IDX images, a .npy for a .npy), or none.
    /// </summary>
    public Dataset ToDataset(string? labelsPath = null, string? name = null)
    {
        int[]? labels = null;
        if (Format == "idx")
        {
            if (labelsPath is not null)
            {
                labels = IdxReader.ReadLabels(labelsPath);
                if (labels.Length != Count)
                    throw new DatasetFormatException(labelsPath, $"IDX labels: expected {Count} labels to match {Name}, found {labels.Length}");
            }
            return new Dataset(name ?? Name, this, labels);
        }
        NpyArray? y = labelsPath is null ? null : NpyReader.Read(labelsPath);
        if (y is not null)
        {
            labels = y.ToInt32();
            if (labels.Length != Count)
                throw new DatasetFormatException(y.Source, $"expected {Count} labels (one per sample of {Name}), found {labels.Length}");
        }
        return new Dataset(name ?? Name, this, labels)
            .WithDescription($"NPY {Name}: {Count} samples of shape [{string.Join(",", _shape)}] ({Dtype})" + (y is null ? "" : $", labels from {y.Source}"));
    }

    /// <inheritdoc/>
    public void Read(ReadOnlySpan<int> rows, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        if (destination.Length < (long)rows.Length * _rowSize)
            throw new ArgumentException($"FileRows.Read: {rows.Length} rows of {_rowSize} values need {(long)rows.Length * _rowSize} floats, the destination holds {destination.Length}", nameof(destination));
        var buffer = ArrayPool<byte>.Shared.Rent(_rowBytes);
        try
        {
            for (int i = 0; i < rows.Length; i++)
            {
                int r = rows[i];
                if ((uint)r >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(rows), $"FileRows.Read: row {r} outside '{Name}' of {Count} rows");
                var bytes = buffer.AsSpan(0, _rowBytes);
                if (ReadAt(_file, bytes, _dataStart + (long)r * _rowBytes) != _rowBytes)
                    throw new DatasetFormatException(Name, $"row {r} at offset {_dataStart + (long)r * _rowBytes}: the file ended early (truncated since it was opened)");
                Decode(bytes, destination.Slice(i * _rowSize, _rowSize));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Interlocked.Add(ref _rowsRead, rows.Length);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();

    // Element by element as NpyArray.ToSingle (through double) and the loaders' 1/255 scaling of unsigned bytes.
    private void Decode(ReadOnlySpan<byte> d, Span<float> o)
    {
        switch (_kind, _itemSize, _bigEndian)
        {
            case ('f', 4, false):
                MemoryMarshal.Cast<byte, float>(d).CopyTo(o); // float → double → float is the identity on finite values
                if (!BitConverter.IsLittleEndian) for (int j = 0; j < o.Length; j++) o[j] = BinaryPrimitives.ReadSingleLittleEndian(d[(4 * j)..]);
                break;
            case ('f', 4, true): for (int j = 0; j < o.Length; j++) o[j] = BinaryPrimitives.ReadSingleBigEndian(d[(4 * j)..]); break;
            case ('f', 8, false): for (int j = 0; j < o.Length; j++) o[j] = (float)BinaryPrimitives.ReadDoubleLittleEndian(d[(8 * j)..]); break;
            case ('f', 8, true): for (int j = 0; j < o.Length; j++) o[j] = (float)BinaryPrimitives.ReadDoubleBigEndian(d[(8 * j)..]); break;
            case ('u', 1, _): for (int j = 0; j < o.Length; j++) { o[j] = d[j]; o[j] /= 255f; } break;
            case ('b', 1, _): for (int j = 0; j < o.Length; j++) o[j] = d[j] != 0 ? 1 : 0; break;
            case ('i', 1, _): for (int j = 0; j < o.Length; j++) o[j] = (sbyte)d[j]; break;
            case ('i', 4, false): for (int j = 0; j < o.Length; j++) o[j] = (float)(double)BinaryPrimitives.ReadInt32LittleEndian(d[(4 * j)..]); break;
            case ('i', 4, true): for (int j = 0; j < o.Length; j++) o[j] = (float)(double)BinaryPrimitives.ReadInt32BigEndian(d[(4 * j)..]); break;
            case ('i', 8, false): for (int j = 0; j < o.Length; j++) o[j] = (float)(double)BinaryPrimitives.ReadInt64LittleEndian(d[(8 * j)..]); break;
            case ('i', 8, true): for (int j = 0; j < o.Length; j++) o[j] = (float)(double)BinaryPrimitives.ReadInt64BigEndian(d[(8 * j)..]); break;
            default: throw new InvalidOperationException($"FileRows: unsupported dtype {Dtype}");
        }
    }

    private static FileRows? OpenNpy(SafeFileHandle file, string path, long length)
    {
        // The fixed part first (magic, version, header length), then exactly the header: never more than it declares.
        Span<byte> pre = stackalloc byte[12];
        int got = ReadAt(file, pre, 0);
        int headerEnd = got < 10 ? got
            : pre[6] == 1 ? 10 + BinaryPrimitives.ReadUInt16LittleEndian(pre[8..])
            : got < 12 ? got
            : (int)Math.Min(int.MaxValue, 12L + BinaryPrimitives.ReadUInt32LittleEndian(pre[8..]));
        var head = new byte[(int)Math.Min(Math.Min(length, headerEnd), BlockBytes)];
        ReadAt(file, head, 0);
        var h = NpyReader.ParseHeader(head, length, path);
        if (h.Fortran && h.Shape.Length > 1) return null;
        if (h.Shape.Length == 0) throw new DatasetFormatException(path, "expected an array with a first axis of samples, found a scalar");
        int[] sample = h.Shape.Length == 1 ? [1] : h.Shape[1..];
        if (sample.Any(d => d == 0)) throw new DatasetFormatException(path, $"sample shape [{string.Join(",", sample)}] has a zero dimension");
        var rows = new FileRows(file, path, "npy", h.Dtype, h.Shape[0], sample, h.DataStart, h.Kind, h.ItemSize, h.BigEndian);
        if (h.Kind == 'f') rows.CheckFinite();
        return rows;
    }

    private static FileRows OpenIdx(SafeFileHandle file, string path, long length)
    {
        // The checks and messages of IdxReader.Read and IdxReader.ReadImages, against the file's length.
        Span<byte> magic = stackalloc byte[4];
        int got = ReadAt(file, magic, 0);
        if (got < 4) throw new DatasetFormatException(path, $"IDX header: expected at least 4 bytes, found {got}");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DatasetFormatException(path, $"IDX magic at offset 0: expected 00 00 <type> <dims>, found {magic[0]:X2} {magic[1]:X2} {magic[2]:X2} {magic[3]:X2}");
        byte type = magic[2];
        if (type is not (0x08 or 0x09 or 0x0B or 0x0C or 0x0D or 0x0E))
            throw new DatasetFormatException(path, $"IDX type code at offset 2: expected one of 08 09 0B 0C 0D 0E, found {type:X2}");
        if (type != 0x08) throw new DatasetFormatException(path, $"IDX images: expected type code 08 (unsigned byte), found {type:X2}");
        int rank = magic[3];
        if (rank != 3) throw new DatasetFormatException(path, $"IDX images: expected 3 dimensions [N,H,W], found {rank}");
        Span<byte> dimBytes = stackalloc byte[12];
        got = ReadAt(file, dimBytes, 4);
        if (got < 12) throw new DatasetFormatException(path, $"IDX header: 3 dimensions need 16 header bytes, file has {4 + got}");
        var dims = new int[3];
        long count = 1;
        for (int i = 0; i < 3; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(dimBytes[(4 * i)..]);
            if (d < 0) throw new DatasetFormatException(path, $"IDX dimension {i} at offset {4 + 4 * i}: expected a non-negative size, found {d}");
            dims[i] = d;
            count *= d;
            if (count > int.MaxValue) throw new DatasetFormatException(path, $"IDX dimensions [{string.Join(",", dims[..(i + 1)])}]: more than {int.MaxValue} values");
        }
        if (count * sizeof(float) > InputLimits.MaxInputBytes)
            throw new DatasetFormatException(path, $"IDX dimensions [{string.Join(",", dims)}]: {count} values ({InputLimits.Format(count * sizeof(float))} as float32) are over {InputLimits.Describe()}");
        long expected = 16 + count;
        if (length != expected)
            throw new DatasetFormatException(path,
                $"IDX dimensions [{string.Join(",", dims)}] of 1-byte values need {expected} bytes, found {length} ({(length < expected ? "truncated" : "trailing data")})");
        if (dims[1] == 0 || dims[2] == 0)
            throw new DatasetFormatException(path, $"IDX images: expected positive height and width, found {dims[1]}x{dims[2]}");
        return new FileRows(file, path, "idx", "|u1", dims[0], [1, dims[1], dims[2]], 16, 'u', 1, bigEndian: false);
    }

    /// <summary>Decodes every row once, in blocks, and refuses a value that is not finite (as NpyReader.LoadDataset does).</summary>
    private void CheckFinite()
    {
        int perBlock = Math.Max(1, BlockBytes / Math.Max(1, _rowBytes));
        var index = new int[perBlock];
        var values = new float[(long)perBlock * _rowSize];
        for (int start = 0; start < Count; start += perBlock)
        {
            int n = Math.Min(perBlock, Count - start);
            for (int i = 0; i < n; i++) index[i] = start + i;
            Read(index.AsSpan(0, n), values);
            int bad = Array.FindIndex(values, 0, n * _rowSize, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new DatasetFormatException(Name, string.Create(CultureInfo.InvariantCulture,
                    $"element {(long)start * _rowSize + bad} is {values[bad]}: expected finite values (NaN, infinities and float64 values beyond the float32 range are refused)"));
        }
        Interlocked.Exchange(ref _rowsRead, 0);
    }

    private static int ReadAt(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(file, buffer[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
