using Latent.Core.IO;
using Latent.Viz.Png;

namespace Latent.Viz.Images;

/// <summary>
/// An 8-bit image in memory: <see cref="Pixels"/> holds <c>[H, W, C]</c> bytes, row-major with channels
/// interleaved (C = 1 grey, 3 RGB or 4 RGBA), the layout <see cref="PngEncoder"/> takes.
/// </summary>
public sealed class Raster
{
    /// <summary>A raster filled with zeros.</summary>
    public Raster(int width, int height, int channels)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), $"Raster: width must be at least 1, got {width}");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Raster: height must be at least 1, got {height}");
        if (channels is not (1 or 3 or 4)) throw new ArgumentOutOfRangeException(nameof(channels), $"Raster: channels must be 1, 3 or 4, got {channels}");
        long size = (long)width * height * channels;
        if (size > Array.MaxLength) throw new ArgumentException($"Raster: {width}×{height}×{channels} is too large", nameof(width));
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = new byte[size];
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Samples per pixel: 1, 3 or 4.</summary>
    public int Channels { get; }

    /// <summary>The samples, <c>[H, W, C]</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>Sample <paramref name="channel"/> of the pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int x, int y, int channel = 0]
    {
        get => Pixels[Offset(x, y, channel)];
        set => Pixels[Offset(x, y, channel)] = value;
    }

    /// <summary>The pixel at (x, y) as a colour (grey is repeated; alpha is ignored).</summary>
    public Rgb GetRgb(int x, int y) => Channels == 1
        ? new Rgb(this[x, y], this[x, y], this[x, y])
        : new Rgb(this[x, y, 0], this[x, y, 1], this[x, y, 2]);

    /// <summary>Sets every pixel to <paramref name="colour"/> (opaque).</summary>
    public void Fill(Rgb colour)
    {
        if (Channels == 1)
        {
            if (!colour.IsGrey) throw new ArgumentException($"Raster: cannot fill a grey raster with {colour}", nameof(colour));
            Pixels.AsSpan().Fill(colour.R);
            return;
        }
        for (int i = 0; i < Pixels.Length; i += Channels)
        {
            Pixels[i] = colour.R;
            Pixels[i + 1] = colour.G;
            Pixels[i + 2] = colour.B;
            if (Channels == 4) Pixels[i + 3] = 255;
        }
    }

    /// <summary>A copy enlarged <paramref name="factor"/> times in each direction (nearest neighbour, crisp pixels).</summary>
    public Raster Upscale(int factor)
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), $"Raster.Upscale: factor must be at least 1, got {factor}");
        var r = new Raster(checked(Width * factor), checked(Height * factor), Channels);
        for (int y = 0; y < r.Height; y++)
        for (int x = 0; x < r.Width; x++)
            Pixels.AsSpan(Offset(x / factor, y / factor, 0), Channels).CopyTo(r.Pixels.AsSpan(r.Offset(x, y, 0), Channels));
        return r;
    }

    /// <summary>The PNG file bytes.</summary>
    public byte[] ToPng() => PngEncoder.Encode(Width, Height, Channels, Pixels);

    /// <summary>A <c>data:image/png;base64,...</c> URI, for embedding in HTML.</summary>
    public string ToDataUri() => "data:image/png;base64," + Convert.ToBase64String(ToPng());

    /// <summary>Writes the PNG atomically to <paramref name="path"/>.</summary>
    public void SavePng(string path) => AtomicFile.WriteAllBytes(path, ToPng());

    private int Offset(int x, int y, int channel)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || (uint)channel >= (uint)Channels)
            throw new ArgumentOutOfRangeException(nameof(x), $"Raster: ({x}, {y}, {channel}) outside {Width}×{Height}×{Channels}");
        return (y * Width + x) * Channels + channel;
    }
}
