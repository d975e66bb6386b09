namespace Latent.Data.Images;

/// <summary>
/// The five PNG row filter types (None, Sub, Up, Average, Paeth; PNG spec section 9): applied by the encoder of
/// Latent.Viz, reversed by <see cref="PngDecoder"/>. a = left, b = up, c = up-left, bytes bpp apart.
/// </summary>
public static class PngFilters
{
    /// <summary>
    /// Filters <paramref name="row"/> with filter <paramref name="type"/> into <paramref name="output"/> and returns
    /// the sum of |output byte as signed|, the score the encoder minimises.
    /// </summary>
    public static long Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        long score = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = prior[i];
            int c = i >= bpp ? prior[i - bpp] : 0;
            byte v = (byte)(row[i] - Predict(type, a, b, c));
            output[i] = v;
            score += Math.Abs((int)(sbyte)v);
        }
        return score;
    }

    /// <summary>Reverses filter <paramref name="type"/> (0..4) of <paramref name="row"/> in place, <paramref name="prior"/> being the unfiltered row above.</summary>
    public static void Reverse(byte type, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        for (int i = 0; i < row.Length; i++)
            row[i] += (byte)Predict(type, i >= bpp ? row[i - bpp] : 0, prior[i], i >= bpp ? prior[i - bpp] : 0);
    }

    /// <summary>The predictor of each filter from left (a), up (b) and upper-left (c).</summary>
    public static int Predict(byte type, int a, int b, int c) => type switch
    {
        0 => 0,
        1 => a,
        2 => b,
        3 => (a + b) >> 1,
        4 => Paeth(a, b, c),
        _ => throw new ArgumentOutOfRangeException(nameof(type), $"PNG: unknown filter type {type}"),
    };

    /// <summary>Paeth predictor: whichever of a, b, c is closest to a + b − c (ties: a, then b).</summary>
    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }
}
