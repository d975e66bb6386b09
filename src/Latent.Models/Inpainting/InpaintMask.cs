using System.Globalization;
using Latent.Core;

namespace Latent.Models.Inpainting;

/// <summary>
/// Which pixels of an H×W image are missing (true = hole). Parsed from <see cref="Syntax"/>:
/// <c>block:FRACTION</c> (a square covering FRACTION of the image's area at a random position, e.g. block:0.25),
/// <c>box:x,y,w,h</c> (a fixed rectangle), <c>strokes:N</c> (N random 2-pixel-wide line strokes), or the path of a
/// PNG whose non-zero pixels are the hole. Random masks take their positions from the given <see cref="Rng"/>.
/// </summary>
public sealed class InpaintMask
{
    /// <summary>The accepted mask specifications, for help texts.</summary>
    public const string Syntax = "block:FRACTION, box:x,y,w,h, strokes:N or a mask PNG (non-zero = hole)";

    private readonly Func<int, int, Rng, bool[]> _make;

    private InpaintMask(string text, Func<int, int, Rng, bool[]> make)
    {
        Text = text;
        _make = make;
    }

    /// <summary>The specification it was parsed from.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; ArgumentException naming <c>--mask</c> when it is malformed.</summary>
    public static InpaintMask Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':');
        string kind = colon > 0 ? text[..colon].Trim().ToLowerInvariant() : "";
        string arg = colon > 0 ? text[(colon + 1)..] : "";
        switch (kind)
        {
            case "block":
                if (!double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) || !(f > 0 && f < 1))
                    throw new ArgumentException($"--mask '{text}': block FRACTION must be a number in (0, 1)", nameof(text));
                return new InpaintMask(text, (h, w, rng) => Block(h, w, f, rng));
            case "box":
                var parts = arg.Split(',');
                var v = new int[4];
                if (parts.Length != 4 || parts.Select((s, i) => int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out v[i])).Any(ok => !ok) || v[2] < 1 || v[3] < 1)
                    throw new ArgumentException($"--mask '{text}': box needs four non-negative integers x,y,w,h with w, h ≥ 1", nameof(text));
                return new InpaintMask(text, (h, w, _) => Box(h, w, v[0], v[1], v[2], v[3], text));
            case "strokes":
                if (!int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n is < 1 or > 100)
                    throw new ArgumentException($"--mask '{text}': strokes N must be an integer in 1..100", nameof(text));
                return new InpaintMask(text, (h, w, rng) => Strokes(h, w, n, rng));
        }
        if (text.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            return new InpaintMask(text, (h, w, _) => FromPng(text, h, w));
        throw new ArgumentException($"--mask '{text}' is not one of {Syntax}", nameof(text));
    }

    /// <summary>A hole for one <paramref name="height"/>×<paramref name="width"/> image, [H·W]; at least one pixel missing and one known.</summary>
    public bool[] Make(int height, int width, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var m = _make(height, width, rng);
        int holes = m.Count(b => b);
        if (holes == 0) throw new ArgumentException($"--mask '{Text}' leaves no pixel of the {height}×{width} image missing", nameof(height));
        if (holes == m.Length) throw new ArgumentException($"--mask '{Text}' hides every pixel of the {height}×{width} image", nameof(height));
        return m;
    }

    private static bool[] Block(int h, int w, double fraction, Rng rng)
    {
        int side = Math.Clamp((int)Math.Round(Math.Sqrt(fraction * h * w)), 1, Math.Min(h, w));
        int y0 = rng.NextInt(h - side + 1), x0 = rng.NextInt(w - side + 1);
        var m = new bool[h * w];
        for (int y = y0; y < y0 + side; y++)
        for (int x = x0; x < x0 + side; x++) m[y * w + x] = true;
        return m;
    }

    private static bool[] Box(int h, int w, int x0, int y0, int bw, int bh, string text)
    {
        if (x0 >= w || y0 >= h) throw new ArgumentException($"--mask '{text}': the box starts outside the {h}×{w} image", nameof(text));
        var m = new bool[h * w];
        for (int y = y0; y < Math.Min(h, y0 + bh); y++)
        for (int x = x0; x < Math.Min(w, x0 + bw); x++) m[y * w + x] = true;
        return m;
    }

    private static bool[] Strokes(int h, int w, int n, Rng rng)
    {
        var m = new bool[h * w];
        for (int s = 0; s < n; s++)
        {
            // A straight stroke between two random points, drawn 2 pixels wide.
            double x0 = rng.NextDouble() * (w - 1), y0 = rng.NextDouble() * (h - 1);
            double x1 = rng.NextDouble() * (w - 1), y1 = rng.NextDouble() * (h - 1);
            int steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) * 2) + 1;
            for (int i = 0; i <= steps; i++)
            {
                double t = (double)i / steps;
                int x = (int)Math.Round(x0 + t * (x1 - x0)), y = (int)Math.Round(y0 + t * (y1 - y0));
                for (int dy = 0; dy <= 1; dy++)
                for (int dx = 0; dx <= 1; dx++)
                    if (y + dy < h && x + dx < w) m[(y + dy) * w + x + dx] = true;
            }
        }
        return m;
    }

    private static bool[] FromPng(string path, int h, int w)
    {
        var img = Latent.Data.Images.PngDecoder.Decode(path);
        if (img.Width != w || img.Height != h)
            throw new ArgumentException($"mask '{path}' is {img.Width}×{img.Height}, the images are {w}×{h}", nameof(path));
        var m = new bool[h * w];
        int c = img.Channels;
        for (int p = 0; p < m.Length; p++)
            for (int k = 0; k < c; k++)
                if (img.Pixels[p * c + k] != 0) { m[p] = true; break; }
        return m;
    }
}
