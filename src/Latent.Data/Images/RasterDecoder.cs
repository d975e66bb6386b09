using Latent.Core.IO;
using SkiaSharp;

namespace Latent.Data.Images;

/// <summary>
/// JPEG (baseline and progressive) and BMP decoding through SkiaSharp (Skia's libjpeg-turbo and BMP codecs, the
/// maintained native library behind SkiaSharp 4.156; Linux assets without system dependencies). The image size is
/// read from the file's header first and checked against <see cref="PngDecoder.MaxPixels"/> and
/// <see cref="InputLimits.MaxInputBytes"/> before any pixel is decoded, as for PNG; a file Skia cannot parse is a
/// <see cref="DatasetFormatException"/> naming it. Output: gray (1 channel) for grayscale JPEGs, RGB (3) otherwise,
/// floats in [0, 1].
/// </summary>
public static class RasterDecoder
{
    /// <summary>True for the bytes of a JPEG (FF D8 FF) or a BMP ("BM").</summary>
    public static bool Recognises(ReadOnlySpan<byte> bytes) =>
        (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) || (bytes.Length >= 2 && bytes[0] == (byte)'B' && bytes[1] == (byte)'M');

    /// <summary>Decodes the JPEG or BMP file at <paramref name="path"/>.</summary>
    public static ImageData Decode(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"image not found: {path}", path);
        return Decode(InputLimits.ReadAllBytes(path, why => new DatasetFormatException(path, why)), path);
    }

    /// <summary>Decodes JPEG or BMP bytes; <paramref name="source"/> names them in error messages.</summary>
    public static ImageData Decode(ReadOnlySpan<byte> bytes, string source = "<image>")
    {
        if (!Recognises(bytes))
            throw new DatasetFormatException(source, "offset 0: not a JPEG (FF D8 FF) or BMP ('BM') file");
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new DatasetFormatException(source, "the JPEG/BMP header could not be read (damaged or truncated)");
        var info = codec.Info;
        long w = info.Width, h = info.Height;
        if (w <= 0 || h <= 0) throw new DatasetFormatException(source, $"header size {w}x{h}: expected positive");
        if (w * h > PngDecoder.MaxPixels)
            throw new DatasetFormatException(source, $"header size {w}x{h} exceeds the limit of {PngDecoder.MaxPixels} pixels");
        bool gray = info.ColorType == SKColorType.Gray8;
        int channels = gray ? 1 : 3;
        // Skia decodes to 4 bytes per pixel, then the floats: both must fit the input budget.
        long floatBytes = w * h * Math.Max(4, channels * sizeof(float));
        if (floatBytes > InputLimits.MaxInputBytes)
            throw new DatasetFormatException(source, $"header size {w}x{h} decodes to {InputLimits.Format(floatBytes)} of float32 values, over {InputLimits.Describe()}");
        var target = new SKImageInfo((int)w, (int)h, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(target);
        var status = codec.GetPixels(target, bitmap.GetPixels());
        if (status is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new DatasetFormatException(source, $"the image data could not be decoded ({status})");
        if (status == SKCodecResult.IncompleteInput)
            throw new DatasetFormatException(source, "the image data is truncated");
        var raw = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes, bpp = gray ? 1 : 4;
        var pixels = new float[w * h * channels];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < channels; c++)
                    pixels[((long)y * w + x) * channels + c] = raw[y * stride + x * bpp + c] / 255f;
        return new ImageData((int)w, (int)h, channels, pixels);
    }
}
