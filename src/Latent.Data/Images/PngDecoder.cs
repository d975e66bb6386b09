using System.Buffers.Binary;
using System.IO.Compression;
using Latent.Core.IO;

namespace Latent.Data.Images;

/// <summary>
/// A PNG decoder (ISO/IEC 15948 / W3C PNG 2nd ed.): every colour type (gray, RGB, palette, gray+alpha, RGBA) at
/// every legal bit depth (1, 2, 4, 8, 16), tRNS transparency, all five row filters, and Adam7 interlace. Each
/// chunk's CRC is checked; IHDR is validated; truncated or malformed files throw <see cref="DatasetFormatException"/>
/// naming the file and the byte offset. Output samples are floats in [0, 1] (a 16-bit sample is divided by 65535).
/// </summary>
public static class PngDecoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Largest image accepted, in pixels (guards memory against a corrupt header). The decoded floats (and the
    /// decompressed rows) must also fit <see cref="InputLimits.MaxInputBytes"/>; both are checked from IHDR before
    /// any image data is decompressed.
    /// </summary>
    public const long MaxPixels = 1L << 28;

    /// <summary>Decodes the PNG file at <paramref name="path"/>.</summary>
    public static ImageData Decode(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"image not found: {path}", path);
        return Decode(InputLimits.ReadAllBytes(path, why => new DatasetFormatException(path, why)), path);
    }

    /// <summary>Decodes PNG bytes; <paramref name="source"/> names them in error messages.</summary>
    public static ImageData Decode(ReadOnlySpan<byte> png, string source = "<png>")
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(Signature))
            throw new DatasetFormatException(source, $"offset 0: expected the PNG signature 89 50 4E 47 0D 0A 1A 0A, found {Hex(png[..Math.Min(8, png.Length)])}");

        Header? hdr = null;
        byte[]? palette = null;   // RGB triples
        byte[]? paletteAlpha = null;
        int[]? colorKey = null;   // tRNS for gray (1 value) or RGB (3 values), raw sample values
        using var idat = new MemoryStream();
        bool sawIdat = false, sawEnd = false;
        int pos = 8;
        while (pos < png.Length)
        {
            if (png.Length - pos < 12)
                throw new DatasetFormatException(source, $"offset {pos}: truncated chunk header ({png.Length - pos} bytes left, a chunk needs at least 12)");
            uint len = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            var typeBytes = png.Slice(pos + 4, 4);
            string type = System.Text.Encoding.ASCII.GetString(typeBytes);
            if (len > int.MaxValue || png.Length - pos - 12 < len)
                throw new DatasetFormatException(source, $"offset {pos}: chunk '{type}' declares {len} data bytes but only {Math.Max(0, png.Length - pos - 12)} remain (truncated)");
            var data = png.Slice(pos + 8, (int)len);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + (int)len)..]);
            uint crc = Crc32.Compute(png.Slice(pos + 4, 4 + (int)len));
            if (crc != stored)
                throw new DatasetFormatException(source, $"offset {pos}: chunk '{type}' CRC mismatch: stored {stored:X8}, computed {crc:X8}");
            if (hdr is null && type != "IHDR")
                throw new DatasetFormatException(source, $"offset {pos}: expected IHDR as the first chunk, found '{type}'");

            switch (type)
            {
                case "IHDR":
                    if (hdr is not null) throw new DatasetFormatException(source, $"offset {pos}: second IHDR chunk");
                    hdr = ParseHeader(data, source, pos);
                    break;
                case "PLTE":
                    if (len % 3 != 0 || len == 0 || len > 768)
                        throw new DatasetFormatException(source, $"offset {pos}: PLTE length {len}: expected a multiple of 3 between 3 and 768");
                    if (sawIdat) throw new DatasetFormatException(source, $"offset {pos}: PLTE after IDAT");
                    palette = data.ToArray();
                    break;
                case "tRNS":
                    if (sawIdat) throw new DatasetFormatException(source, $"offset {pos}: tRNS after IDAT");
                    switch (hdr!.ColorType)
                    {
                        case 3:
                            if (palette is null) throw new DatasetFormatException(source, $"offset {pos}: tRNS before PLTE");
                            if (len > palette.Length / 3) throw new DatasetFormatException(source, $"offset {pos}: tRNS has {len} entries for a palette of {palette.Length / 3}");
                            paletteAlpha = data.ToArray();
                            break;
                        case 0:
                            if (len != 2) throw new DatasetFormatException(source, $"offset {pos}: tRNS for gray: expected 2 bytes, found {len}");
                            colorKey = [BinaryPrimitives.ReadUInt16BigEndian(data)];
                            break;
                        case 2:
                            if (len != 6) throw new DatasetFormatException(source, $"offset {pos}: tRNS for RGB: expected 6 bytes, found {len}");
                            colorKey = [BinaryPrimitives.ReadUInt16BigEndian(data), BinaryPrimitives.ReadUInt16BigEndian(data[2..]), BinaryPrimitives.ReadUInt16BigEndian(data[4..])];
                            break;
                        default:
                            throw new DatasetFormatException(source, $"offset {pos}: tRNS is not allowed for colour type {hdr.ColorType} (it has an alpha channel)");
                    }
                    break;
                case "IDAT":
                    sawIdat = true;
                    idat.Write(data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                default:
                    // Bit 5 of the first type byte clear = critical chunk: we cannot ignore what we do not understand.
                    if ((typeBytes[0] & 0x20) == 0)
                        throw new DatasetFormatException(source, $"offset {pos}: unknown critical chunk '{type}'");
                    break;
            }
            pos += 12 + (int)len;
            if (sawEnd) break;
        }
        if (hdr is null) throw new DatasetFormatException(source, "offset 8: no IHDR chunk (truncated)");
        if (!sawIdat) throw new DatasetFormatException(source, $"offset {pos}: no IDAT chunk (truncated or empty image data)");
        if (!sawEnd) throw new DatasetFormatException(source, $"offset {pos}: file ends without an IEND chunk (truncated)");
        if (hdr.ColorType == 3 && palette is null) throw new DatasetFormatException(source, "palette image without a PLTE chunk");

        byte[] raw = Inflate(idat, hdr, source);
        return Reconstruct(raw, hdr, palette, paletteAlpha, colorKey, source);
    }

    private sealed record Header(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
    {
        public int SamplesPerPixel => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        public int BitsPerPixel => SamplesPerPixel * BitDepth;
        public int BytesPerPixelForFilter => Math.Max(1, BitsPerPixel / 8);
        public long RowBytes(int width) => ((long)width * BitsPerPixel + 7) / 8;
    }

    private static Header ParseHeader(ReadOnlySpan<byte> d, string source, int pos)
    {
        if (d.Length != 13) throw new DatasetFormatException(source, $"offset {pos}: IHDR length {d.Length}, expected 13");
        uint w = BinaryPrimitives.ReadUInt32BigEndian(d), h = BinaryPrimitives.ReadUInt32BigEndian(d[4..]);
        int depth = d[8], color = d[9], comp = d[10], filter = d[11], interlace = d[12];
        if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue)
            throw new DatasetFormatException(source, $"offset {pos + 8}: IHDR size {w}x{h}: expected 1..2^31-1 each");
        if ((long)w * h > MaxPixels)
            throw new DatasetFormatException(source, $"offset {pos + 8}: IHDR size {w}x{h} exceeds the limit of {MaxPixels} pixels");
        int maxChannels = color switch { 0 or 4 => 2, _ => 4 };
        long floatBytes = (long)w * h * maxChannels * sizeof(float);
        if (floatBytes > InputLimits.MaxInputBytes)
            throw new DatasetFormatException(source, $"offset {pos + 8}: IHDR size {w}x{h} decodes to {InputLimits.Format(floatBytes)} of float32 values, over {InputLimits.Describe()}");
        bool ok = color switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (color is not (0 or 2 or 3 or 4 or 6))
            throw new DatasetFormatException(source, $"offset {pos + 17}: IHDR colour type {color}: expected 0, 2, 3, 4 or 6");
        if (!ok) throw new DatasetFormatException(source, $"offset {pos + 16}: IHDR bit depth {depth} is not allowed for colour type {color}");
        if (comp != 0) throw new DatasetFormatException(source, $"offset {pos + 18}: IHDR compression method {comp}, expected 0");
        if (filter != 0) throw new DatasetFormatException(source, $"offset {pos + 19}: IHDR filter method {filter}, expected 0");
        if (interlace > 1) throw new DatasetFormatException(source, $"offset {pos + 20}: IHDR interlace method {interlace}, expected 0 or 1");
        return new Header((int)w, (int)h, depth, color, interlace == 1);
    }

    // Adam7 passes: (x start, y start, x step, y step).
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    private static IEnumerable<(int X0, int Y0, int Dx, int Dy, int W, int H)> Passes(Header h)
    {
        if (!h.Interlaced) { yield return (0, 0, 1, 1, h.Width, h.Height); yield break; }
        foreach (var (x0, y0, dx, dy) in Adam7)
        {
            int pw = (h.Width - x0 + dx - 1) / dx, ph = (h.Height - y0 + dy - 1) / dy;
            if (pw > 0 && ph > 0) yield return (x0, y0, dx, dy, pw, ph);
        }
    }

    private static byte[] Inflate(MemoryStream idat, Header h, string source)
    {
        long expected = Passes(h).Sum(p => p.H * (1 + h.RowBytes(p.W)));
        if (expected > int.MaxValue) throw new DatasetFormatException(source, $"image data of {expected} bytes is too large");
        var raw = new byte[expected];
        idat.Position = 0;
        int got;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress, leaveOpen: true);
            got = z.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(source, $"IDAT: corrupt zlib stream: {e.Message}", e);
        }
        if (got != raw.Length)
            throw new DatasetFormatException(source, $"IDAT: expected {raw.Length} bytes of image data after decompression, found {got} (truncated)");
        return raw;
    }

    private static ImageData Reconstruct(byte[] raw, Header h, byte[]? palette, byte[]? paletteAlpha, int[]? key, string source)
    {
        int outCh = h.ColorType switch
        {
            0 => key is null ? 1 : 2,
            2 => key is null ? 3 : 4,
            3 => paletteAlpha is null ? 3 : 4,
            4 => 2,
            _ => 4,
        };
        var px = new float[(long)h.Width * h.Height * outCh];
        int spp = h.SamplesPerPixel, depth = h.BitDepth, bpp = h.BytesPerPixelForFilter;
        float max = (1 << depth) - 1;
        int paletteCount = palette is null ? 0 : palette.Length / 3;
        var samples = new int[4];
        int offset = 0;
        foreach (var (x0, y0, dx, dy, pw, ph) in Passes(h))
        {
            int rowBytes = (int)h.RowBytes(pw);
            byte[] prev = new byte[rowBytes];
            byte[] cur = new byte[rowBytes];
            for (int r = 0; r < ph; r++)
            {
                int filter = raw[offset];
                if (filter > 4) throw new DatasetFormatException(source, $"row {y0 + r * dy}: filter type {filter}, expected 0..4");
                Array.Copy(raw, offset + 1, cur, 0, rowBytes);
                PngFilters.Reverse((byte)filter, cur, prev, bpp);
                offset += 1 + rowBytes;
                int y = y0 + r * dy;
                for (int i = 0; i < pw; i++)
                {
                    for (int s = 0; s < spp; s++) samples[s] = Sample(cur, i * spp + s, depth);
                    int x = x0 + i * dx;
                    long o = ((long)y * h.Width + x) * outCh;
                    if (h.ColorType == 3)
                    {
                        int k = samples[0];
                        if (k >= paletteCount)
                            throw new DatasetFormatException(source, $"pixel ({x},{y}): palette index {k} outside a palette of {paletteCount} colours");
                        px[o] = palette![3 * k] / 255f;
                        px[o + 1] = palette[3 * k + 1] / 255f;
                        px[o + 2] = palette[3 * k + 2] / 255f;
                        if (outCh == 4) px[o + 3] = k < paletteAlpha!.Length ? paletteAlpha[k] / 255f : 1f;
                    }
                    else
                    {
                        for (int s = 0; s < spp; s++) px[o + s] = samples[s] / max;
                        if (key is not null)
                        {
                            bool transparent = true;
                            for (int s = 0; s < spp; s++) transparent &= samples[s] == key[s];
                            px[o + spp] = transparent ? 0f : 1f;
                        }
                    }
                }
                (prev, cur) = (cur, prev);
            }
        }
        return new ImageData(h.Width, h.Height, outCh, px);
    }

    // Sample number `index` of a row at the given bit depth (sub-byte samples are packed MSB first).
    private static int Sample(byte[] row, int index, int depth) => depth switch
    {
        8 => row[index],
        16 => (row[2 * index] << 8) | row[2 * index + 1],
        _ => (row[index * depth / 8] >> (8 - depth - (index * depth) % 8)) & ((1 << depth) - 1),
    };

    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexString(b).Chunk(2).Select(c => new string(c)).Aggregate("", (s, x) => s.Length == 0 ? x : s + " " + x);
}
