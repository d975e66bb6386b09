namespace Latent.Data.Images;

/// <summary>Colour conversion, resizing and cropping of <see cref="ImageData"/>; every method returns a new image.</summary>
public static class ImageOps
{
    /// <summary>One channel: Rec. 601 luma, alpha composited onto black (value * alpha).</summary>
    public static ImageData ToGray(ImageData img)
    {
        ArgumentNullException.ThrowIfNull(img);
        int n = img.Width * img.Height, c = img.Channels;
        var p = img.Pixels;
        var o = new float[n];
        for (int i = 0; i < n; i++)
        {
            int k = i * c;
            o[i] = c switch
            {
                1 => p[k],
                2 => p[k] * p[k + 1],
                3 => 0.299f * p[k] + 0.587f * p[k + 1] + 0.114f * p[k + 2],
                _ => (0.299f * p[k] + 0.587f * p[k + 1] + 0.114f * p[k + 2]) * p[k + 3],
            };
        }
        return new ImageData(img.Width, img.Height, 1, o);
    }

    /// <summary>Three channels, alpha composited onto black; gray is replicated.</summary>
    public static ImageData ToRgb(ImageData img)
    {
        ArgumentNullException.ThrowIfNull(img);
        int n = img.Width * img.Height, c = img.Channels;
        var p = img.Pixels;
        var o = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            int k = i * c;
            float a = c is 2 or 4 ? p[k + c - 1] : 1f;
            if (c <= 2) o[3 * i] = o[3 * i + 1] = o[3 * i + 2] = p[k] * a;
            else
            {
                o[3 * i] = p[k] * a;
                o[3 * i + 1] = p[k + 1] * a;
                o[3 * i + 2] = p[k + 2] * a;
            }
        }
        return new ImageData(img.Width, img.Height, 3, o);
    }

    /// <summary>Converts to the given colour mode.</summary>
    public static ImageData Convert(ImageData img, ColorMode mode) => mode == ColorMode.Gray ? ToGray(img) : ToRgb(img);

    /// <summary>Resizes to <paramref name="width"/> x <paramref name="height"/> (aspect ratio not kept).</summary>
    public static ImageData Resize(ImageData img, int width, int height, ResizeMode mode = ResizeMode.Area)
    {
        ArgumentNullException.ThrowIfNull(img);
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"Resize: target {width}x{height} must be positive");
        if (width == img.Width && height == img.Height) return new ImageData(width, height, img.Channels, (float[])img.Pixels.Clone());
        return mode == ResizeMode.Bilinear ? Bilinear(img, width, height) : Area(img, width, height);
    }

    /// <summary>The centred <paramref name="width"/> x <paramref name="height"/> window (odd margins leave the extra pixel on the right/bottom).</summary>
    public static ImageData CenterCrop(ImageData img, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(img);
        if (width <= 0 || height <= 0 || width > img.Width || height > img.Height)
            throw new ArgumentOutOfRangeException(nameof(width), $"CenterCrop: {width}x{height} does not fit in {img.Width}x{img.Height}");
        int x0 = (img.Width - width) / 2, y0 = (img.Height - height) / 2, c = img.Channels;
        var o = new float[width * height * c];
        for (int y = 0; y < height; y++)
            Array.Copy(img.Pixels, ((y + y0) * img.Width + x0) * c, o, y * width * c, width * c);
        return new ImageData(width, height, c, o);
    }

    /// <summary>
    /// Scales so the image covers <paramref name="width"/> x <paramref name="height"/> with its aspect ratio kept,
    /// then centre-crops the overflow.
    /// </summary>
    public static ImageData ResizeAndCrop(ImageData img, int width, int height, ResizeMode mode = ResizeMode.Area)
    {
        ArgumentNullException.ThrowIfNull(img);
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"ResizeAndCrop: target {width}x{height} must be positive");
        double s = Math.Max((double)width / img.Width, (double)height / img.Height);
        int w = Math.Max(width, (int)Math.Round(img.Width * s)), h = Math.Max(height, (int)Math.Round(img.Height * s));
        var resized = Resize(img, w, h, mode);
        return w == width && h == height ? resized : CenterCrop(resized, width, height);
    }

    // Box filter: output pixel (ox, oy) covers input [ox*sx, (ox+1)*sx) x [oy*sy, (oy+1)*sy); each input pixel is
    // weighted by the length of its overlap in each axis, so the mean brightness is preserved exactly.
    private static ImageData Area(ImageData img, int width, int height)
    {
        int c = img.Channels;
        var (xi, xw) = Weights(img.Width, width);
        var (yi, yw) = Weights(img.Height, height);
        var o = new float[width * height * c];
        var acc = new double[c];
        for (int oy = 0; oy < height; oy++)
            for (int ox = 0; ox < width; ox++)
            {
                Array.Clear(acc);
                double total = 0;
                foreach (var (iy, wy) in yi[oy].Zip(yw[oy]))
                    foreach (var (ix, wx) in xi[ox].Zip(xw[ox]))
                    {
                        double w = wx * wy;
                        total += w;
                        int k = (iy * img.Width + ix) * c;
                        for (int ch = 0; ch < c; ch++) acc[ch] += w * img.Pixels[k + ch];
                    }
                int ko = (oy * width + ox) * c;
                for (int ch = 0; ch < c; ch++) o[ko + ch] = (float)(acc[ch] / total);
            }
        return new ImageData(width, height, c, o);
    }

    private static (int[][] Index, double[][] Weight) Weights(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        var idx = new int[outSize][];
        var wts = new double[outSize][];
        for (int o = 0; o < outSize; o++)
        {
            double a = o * scale, b = (o + 1) * scale;
            int i0 = (int)Math.Floor(a), i1 = Math.Min(inSize - 1, (int)Math.Ceiling(b) - 1);
            var il = new List<int>();
            var wl = new List<double>();
            for (int i = i0; i <= i1; i++)
            {
                double w = Math.Min(b, i + 1) - Math.Max(a, i);
                if (w > 1e-12) { il.Add(i); wl.Add(w); }
            }
            idx[o] = il.ToArray();
            wts[o] = wl.ToArray();
        }
        return (idx, wts);
    }

    // Bilinear with pixel centres at +0.5 (align_corners = false), clamped at the borders.
    private static ImageData Bilinear(ImageData img, int width, int height)
    {
        int c = img.Channels, W = img.Width, H = img.Height;
        var o = new float[width * height * c];
        double sx = (double)W / width, sy = (double)H / height;
        for (int oy = 0; oy < height; oy++)
        {
            double fy = Math.Clamp((oy + 0.5) * sy - 0.5, 0, H - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, H - 1);
            float ty = (float)(fy - y0);
            for (int ox = 0; ox < width; ox++)
            {
                double fx = Math.Clamp((ox + 0.5) * sx - 0.5, 0, W - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, W - 1);
                float tx = (float)(fx - x0);
                for (int ch = 0; ch < c; ch++)
                {
                    float a = img.Pixels[(y0 * W + x0) * c + ch], b = img.Pixels[(y0 * W + x1) * c + ch];
                    float d = img.Pixels[(y1 * W + x0) * c + ch], e = img.Pixels[(y1 * W + x1) * c + ch];
                    float top = a + (b - a) * tx, bot = d + (e - d) * tx;
                    o[(oy * width + ox) * c + ch] = top + (bot - top) * ty;
                }
            }
        }
        return new ImageData(width, height, c, o);
    }
}
