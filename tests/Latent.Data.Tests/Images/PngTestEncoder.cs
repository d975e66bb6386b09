using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Core.IO;

namespace Latent.Data.Tests.Images;

/// <summary>
/// A small PNG encoder written for the decoder tests: any colour type and bit depth, a chosen filter per row
/// (default: cycle through all five), optional Adam7 interlace, PLTE and tRNS.
/// </summary>
internal static class PngTestEncoder
{
    public static byte[] Chunk(string type, byte[] data)
    {
        var c = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(c, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(c, 4);
        data.CopyTo(c, 8);
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + data.Length), Crc32.Compute(c.AsSpan(4, 4 + data.Length)));
        return c;
    }

    public static byte[] Assemble(params byte[][] chunks) =>
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. chunks.SelectMany(c => c)];

    public static byte[] Ihdr(int w, int h, int depth, int color, int interlace = 0)
    {
        var d = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(d, w);
        BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(4), h);
        d[8] = (byte)depth; d[9] = (byte)color; d[12] = (byte)interlace;
        return Chunk("IHDR", d);
    }

    public static int Samples(int color) => color switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

    /// <summary>Encodes an image whose raw sample (x, y, s) is given by <paramref name="sample"/>.</summary>
    public static byte[] Encode(int w, int h, int color, int depth, Func<int, int, int, int> sample,
        byte[]? plte = null, byte[]? trns = null, bool interlace = false, int? filter = null)
    {
        var chunks = new List<byte[]> { Ihdr(w, h, depth, color, interlace ? 1 : 0) };
        if (plte is not null) chunks.Add(Chunk("PLTE", plte));
        if (trns is not null) chunks.Add(Chunk("tRNS", trns));
        chunks.Add(Chunk("tEXt", Encoding.ASCII.GetBytes("Comment\0ancillary chunks are skipped")));
        chunks.Add(Chunk("IDAT", Compress(Scanlines(w, h, color, depth, sample, interlace, filter))));
        chunks.Add(Chunk("IEND", []));
        return Assemble([.. chunks]);
    }

    public static byte[] Compress(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal)) z.Write(raw);
        return ms.ToArray();
    }

    public static byte[] Scanlines(int w, int h, int color, int depth, Func<int, int, int, int> sample, bool interlace, int? filter)
    {
        (int, int, int, int)[] passes = interlace
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)];
        int spp = Samples(color), bpp = Math.Max(1, spp * depth / 8);
        var output = new List<byte>();
        int rowIndex = 0;
        foreach (var (x0, y0, dx, dy) in passes)
        {
            int pw = (w - x0 + dx - 1) / dx, ph = (h - y0 + dy - 1) / dy;
            if (pw <= 0 || ph <= 0) continue;
            int rowBytes = (pw * spp * depth + 7) / 8;
            var prev = new byte[rowBytes];
            for (int r = 0; r < ph; r++)
            {
                var row = new byte[rowBytes];
                int bit = 0;
                for (int i = 0; i < pw; i++)
                    for (int s = 0; s < spp; s++)
                    {
                        int v = sample(x0 + i * dx, y0 + r * dy, s);
                        if (depth == 16) { row[bit / 8] = (byte)(v >> 8); row[bit / 8 + 1] = (byte)v; }
                        else if (depth == 8) row[bit / 8] = (byte)v;
                        else row[bit / 8] |= (byte)(v << (8 - depth - bit % 8));
                        bit += depth;
                    }
                int f = filter ?? rowIndex++ % 5;
                output.Add((byte)f);
                for (int i = 0; i < rowBytes; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                    int pred = f switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) / 2,
                        _ => Paeth(a, b, c),
                    };
                    output.Add((byte)(row[i] - pred));
                }
                prev = row;
            }
        }
        return [.. output];
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
