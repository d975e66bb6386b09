namespace Latent.Data.Images;

/// <summary>
/// A decoded image: <see cref="Height"/> x <see cref="Width"/> pixels of <see cref="Channels"/> samples each
/// (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), stored row-major and interleaved (HWC) as floats in [0, 1].
/// </summary>
public sealed class ImageData
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied); its length must be width*height*channels.</summary>
    public ImageData(int width, int height, int channels, float[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0) throw new ArgumentException($"ImageData: size {width}x{height} must be positive", nameof(width));
        if (channels is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(channels), $"ImageData: {channels} channels, expected 1..4");
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"ImageData: {pixels.Length} values for {width}x{height}x{channels}", nameof(pixels));
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Samples per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }

    /// <summary>Samples in [0, 1], HWC: pixel (y, x) channel c is at (y*Width + x)*Channels + c.</summary>
    public float[] Pixels { get; }

    /// <summary>Sample (y, x, c).</summary>
    public float this[int y, int x, int c] => Pixels[(y * Width + x) * Channels + c];

    /// <summary>The pixels as planes, CHW [Channels, Height, Width], the layout of a dataset sample.</summary>
    public float[] ToChw()
    {
        int plane = Width * Height;
        var chw = new float[plane * Channels];
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < Channels; c++) chw[c * plane + i] = Pixels[i * Channels + c];
        return chw;
    }
}
