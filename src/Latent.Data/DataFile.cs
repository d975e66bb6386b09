using System.IO.Compression;

namespace Latent.Data;

/// <summary>
/// Opens data files that may be gzip-compressed: compression is detected from the first two bytes (1F 8B), never
/// from the extension, so "x.gz" holding raw bytes and "x" holding gzip both read correctly.
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

    /// <summary>A readable stream over the (decompressed) content of <paramref name="path"/>.</summary>
    public static Stream OpenRead(string path)
    {
        var fs = OpenRaw(path);
        try
        {
            Span<byte> head = stackalloc byte[2];
            int n = fs.ReadAtLeast(head, 2, throwOnEndOfStream: false);
            fs.Position = 0;
            if (n == 2 && head[0] == 0x1F && head[1] == 0x8B)
                return new BufferedStream(new GZipStream(fs, CompressionMode.Decompress), 1 << 16);
            return fs;
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    /// <summary>The whole (decompressed) content; a corrupt gzip stream becomes a <see cref="DatasetFormatException"/>.</summary>
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

    private static FileStream OpenRaw(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"data file not found: {path}", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }
}
