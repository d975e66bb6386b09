using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Latent.Viz.Tests.Png;

/// <summary>
/// A minimal, independent PNG reader for the tests: checks the signature, chunk order and every CRC (with its
/// own bitwise CRC-32, not the table the encoder uses), inflates IDAT and undoes the row filters.
/// Handles only what the encoder writes: 8-bit, non-interlaced, colour types 0, 2, 4, 6.
/// </summary>
internal static class PngTestDecoder
{
    public sealed record Decoded(int Width, int Height, int Channels, byte[] Pixels, List<string> ChunkTypes, byte[] FilterTypes);

    public static Decoded Decode(byte[] png)
    {
        byte[] sig = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.AsSpan(0, 8).SequenceEqual(sig), "bad PNG signature");
        int pos = 8;
        var types = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0, channels = 0;
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            Assert.InRange(len, 0, png.Length - pos - 12);
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.Equal(BitwiseCrc(png.AsSpan(pos + 4, 4 + len)), crc);
            types.Add(type);
            if (type == "IHDR")
            {
                Assert.Equal(13, len);
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                channels = data[9] switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => throw new InvalidDataException($"colour type {data[9]}") };
                Assert.Equal(0, data[10]);
                Assert.Equal(0, data[11]);
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT") idat.Write(data);
            pos += 12 + len;
        }
        Assert.Equal(png.Length, pos);
        // Order: IHDR first, IEND last, IDAT chunks consecutive.
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        int first = types.IndexOf("IDAT"), last = types.LastIndexOf("IDAT");
        Assert.True(first > 0, "no IDAT");
        Assert.All(types.Skip(first).Take(last - first + 1), t => Assert.Equal("IDAT", t));

        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
        var filtered = raw.ToArray();
        int stride = width * channels;
        Assert.Equal((stride + 1) * height, filtered.Length);

        var pixels = new byte[stride * height];
        var filters = new byte[height];
        for (int y = 0; y < height; y++)
        {
            byte f = filtered[y * (stride + 1)];
            filters[y] = f;
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                int pred = f switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethReference(a, b, c),
                    _ => throw new InvalidDataException($"filter {f}"),
                };
                pixels[y * stride + i] = (byte)(filtered[y * (stride + 1) + 1 + i] + pred);
            }
        }
        return new Decoded(width, height, channels, pixels, types, filters);
    }

    // Written from the specification's pseudocode, independently of the encoder's.
    private static int PaethReference(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        if (pb <= pc) return b;
        return c;
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte x in data)
        {
            c ^= x;
            for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (uint)-(int)(c & 1));
        }
        return ~c;
    }
}
