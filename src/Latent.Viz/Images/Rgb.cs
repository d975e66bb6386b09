using System.Globalization;

namespace Latent.Viz.Images;

/// <summary>An 8-bit sRGB colour.</summary>
/// <param name="R">Red, 0..255.</param>
/// <param name="G">Green, 0..255.</param>
/// <param name="B">Blue, 0..255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>White.</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>Black.</summary>
    public static Rgb Black => new(0, 0, 0);

    /// <summary>True when R = G = B, so the colour can be stored in a grey image.</summary>
    public bool IsGrey => R == G && G == B;

    /// <summary>Parses "#rrggbb" or "rrggbb".</summary>
    public static Rgb FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var s = hex.StartsWith('#') ? hex[1..] : hex;
        if (s.Length != 6 || !uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint v))
            throw new ArgumentException($"Rgb: '{hex}' is not a #rrggbb colour", nameof(hex));
        return new Rgb((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    /// <summary>"#rrggbb".</summary>
    public string ToHex() => $"#{R:x2}{G:x2}{B:x2}";

    /// <inheritdoc />
    public override string ToString() => ToHex();
}
