using System.Buffers.Binary;
using System.IO.Compression;
using Latent.Core.IO;

namespace Latent.Data;

/// <summary>
/// Opens data files that may be gzip-compressed: compression is detected from the first two bytes (1F 8B), never
/// from the extension, so "x.gz" holding raw bytes and "x" holding gzip both read correctly. Every stream it returns
/// counts what it produces and stops with a <see cref="DatasetFormatException"/> past <see cref="InputLimits.MaxInputBytes"/>;
/// a gzip stream also checks the member's trailer (CRC-32 and length) when it reaches the end, so a truncated or
/// corrupt .gz is an error naming the file instead of a shorter table.
/// </summary>
internal static class DataFile
{
    /// <summary>True when the file starts with the gzip magic bytes.</summary>
    public static bool IsGzip(string path)
    {
        using var fs = OpenRaw(path);
        Span<byte> head = stackalloc byte[2];
        int n = fs.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        return n == 2 && head[0] == 0x1F && head[1] == 0x8B;
    }

    /// <summary>A readable stream over the (decompressed) content of <paramref name="path"/>, limited to <paramref name="limit"/> bytes (default: the input limit).</summary>
    public static Stream OpenRead(string path, long? limit = null)
    {
        long max = limit ?? InputLimits.MaxInputBytes;
        var fs = OpenRaw(path);
        try
        {
            Span<byte> head = stackalloc byte[2];
            int n = fs.ReadAtLeast(head, 2, throwOnEndOfStream: false);
            bool seekable = fs.CanSeek && fs.Length > 0;
            if (seekable) fs.Position = 0;
            if (n == 2 && head[0] == 0x1F && head[1] == 0x8B)
            {
                if (!seekable) throw new DatasetFormatException(path, "gzip data from a stream that cannot be read twice (a pipe or device): decompress it first");
                return new BufferedStream(new CheckedGzipStream(fs, path, max), 1 << 16);
            }
            if (seekable && fs.Length > max)
                throw new DatasetFormatException(path, $"the file is {InputLimits.Format(fs.Length)}, over {InputLimits.Describe()}");
            if (!seekable) return new LimitedStream(new PrefixedStream(head[..n].ToArray(), fs), path, max);
            return new LimitedStream(fs, path, max);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    /// <summary>The whole (decompressed) content, at most the input limit; a corrupt or truncated gzip stream becomes a <see cref="DatasetFormatException"/>.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        using var s = OpenRead(path);
        using var ms = new MemoryStream();
        try
        {
            s.CopyTo(ms);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"corrupt gzip stream after {ms.Length} decompressed bytes: {e.Message}", e);
        }
        return ms.ToArray();
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="s"/>; a short read is a <see cref="DatasetFormatException"/> saying what was being read.</summary>
    public static void ReadExactly(Stream s, Span<byte> buffer, string path, long offset, string what)
    {
        int got;
        try
        {
            got = s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"corrupt gzip stream at offset {offset} ({what}): {e.Message}", e);
        }
        if (got != buffer.Length)
            throw new DatasetFormatException(path, $"offset {offset}: {what}: expected {buffer.Length} bytes, found {got} (truncated)");
    }

    /// <summary>Reads one more byte: true when <paramref name="s"/> is at its end (a gzip stream then checks its trailer).</summary>
    public static bool AtEnd(Stream s, string path)
    {
        Span<byte> one = stackalloc byte[1];
        try
        {
            return s.Read(one) == 0;
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"corrupt gzip stream at its end: {e.Message}", e);
        }
    }

    private static FileStream OpenRaw(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"data file not found: {path}", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>Counts the bytes read and stops past the limit.</summary>
    private sealed class LimitedStream(Stream inner, string path, long limit) : ReadOnlyWrapper(inner)
    {
        private long _read;

        public override int Read(Span<byte> buffer)
        {
            int n = Inner.Read(buffer);
            _read += n;
            if (_read > limit) throw new DatasetFormatException(path, $"more than {InputLimits.Format(limit)} of data, over {InputLimits.Describe()}");
            return n;
        }
    }

    /// <summary>Bytes already read from a non-seekable stream, then the rest of it.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : ReadOnlyWrapper(inner)
    {
        private int _pos;

        public override int Read(Span<byte> buffer)
        {
            if (_pos < prefix.Length)
            {
                int k = Math.Min(buffer.Length, prefix.Length - _pos);
                prefix.AsSpan(_pos, k).CopyTo(buffer);
                _pos += k;
                return k;
            }
            return Inner.Read(buffer);
        }
    }

    /// <summary>
    /// A gzip member (RFC 1952) whose output is counted and checked: past the limit it stops; at the end of the
    /// deflate data the CRC-32 and length of what it produced must equal the trailer (the file's last 8 bytes).
    /// A file of several concatenated members fails that check (only the last member's trailer is at the end).
    /// </summary>
    private sealed class CheckedGzipStream : ReadOnlyWrapper
    {
        private readonly string _path;
        private readonly long _limit;
        private readonly uint _trailerCrc, _trailerSize;
        private readonly long _compressedLength;
        private uint _crc;
        private long _produced;
        private bool _checked;

        public CheckedGzipStream(FileStream fs, string path, long limit)
            : base(new GZipStream(fs, CompressionMode.Decompress))
        {
            _path = path;
            _limit = limit;
            _compressedLength = fs.Length;
            if (fs.Length < 18) throw new DatasetFormatException(path, $"gzip file of {fs.Length} bytes is shorter than a gzip header and trailer (18 bytes): truncated");
            Span<byte> trailer = stackalloc byte[8];
            fs.Position = fs.Length - 8;
            fs.ReadExactly(trailer);
            fs.Position = 0;
            _trailerCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            _trailerSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        }

        public override int Read(Span<byte> buffer)
        {
            int n;
            try
            {
                n = Inner.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new DatasetFormatException(_path, $"corrupt gzip stream after {_produced} decompressed bytes: {e.Message}", e);
            }
            if (n > 0)
            {
                _crc = Crc32.Append(_crc, buffer[..n]);
                _produced += n;
                if (_produced > _limit)
                    throw new DatasetFormatException(_path, $"gzip content is more than {InputLimits.Format(_limit)} ({InputLimits.Format(_compressedLength)} compressed), over {InputLimits.Describe()}");
            }
            else if (!_checked && buffer.Length > 0)
            {
                _checked = true;
                if (_crc != _trailerCrc || (uint)_produced != _trailerSize)
                    throw new DatasetFormatException(_path,
                        $"gzip trailer does not match the content: {_produced} bytes with CRC-32 {_crc:X8}, trailer says {_trailerSize} bytes with CRC-32 {_trailerCrc:X8} (truncated or corrupt file)");
            }
            return n;
        }
    }

    /// <summary>A read-only, forward-only stream over another.</summary>
    private abstract class ReadOnlyWrapper(Stream inner) : Stream
    {
        protected Stream Inner { get; } = inner;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public abstract override int Read(Span<byte> buffer);
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) Inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
