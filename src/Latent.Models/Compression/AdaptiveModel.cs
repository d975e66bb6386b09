namespace Latent.Models.Compression;

/// <summary>
/// An adaptive frequency model over the symbols 0..n−1 for <see cref="ArithmeticEncoder"/>: every symbol starts with
/// count 1, each coded symbol adds <see cref="Increment"/>, and all counts are halved (kept ≥ 1) when the total would
/// pass <see cref="MaxTotal"/>. Encoder and decoder update identical copies, so no table is stored in the file.
/// </summary>
public sealed class AdaptiveModel
{
    /// <summary>Added to a symbol's count each time it is coded.</summary>
    public const int Increment = 24;

    /// <summary>Largest total count (keeps every range ≥ 1 with a 32-bit coder).</summary>
    public const int MaxTotal = 1 << 16;

    private readonly int[] _counts;

    /// <summary>A model of <paramref name="symbols"/> equally likely symbols.</summary>
    public AdaptiveModel(int symbols)
    {
        if (symbols is < 2 or > 4096) throw new ArgumentOutOfRangeException(nameof(symbols), $"AdaptiveModel: {symbols} symbols; 2..4096 supported");
        _counts = new int[symbols];
        Array.Fill(_counts, 1);
        Total = symbols;
    }

    /// <summary>Number of symbols.</summary>
    public int Symbols => _counts.Length;

    /// <summary>Sum of the counts.</summary>
    public int Total { get; private set; }

    /// <summary>The cumulative count below <paramref name="symbol"/> and its count.</summary>
    public (int Low, int Count) Range(int symbol)
    {
        int low = 0;
        for (int s = 0; s < symbol; s++) low += _counts[s];
        return (low, _counts[symbol]);
    }

    /// <summary>The symbol whose cumulative range holds <paramref name="target"/> (0 ≤ target &lt; Total), with its range.</summary>
    public (int Symbol, int Low, int Count) Find(int target)
    {
        int low = 0;
        for (int s = 0; s < _counts.Length; s++)
        {
            if (target < low + _counts[s]) return (s, low, _counts[s]);
            low += _counts[s];
        }
        throw new InvalidDataException($"AdaptiveModel: cumulative count {target} is outside the total {Total}");
    }

    /// <summary>Counts one more <paramref name="symbol"/>.</summary>
    public void Update(int symbol)
    {
        _counts[symbol] += Increment;
        Total += Increment;
        if (Total > MaxTotal)
        {
            Total = 0;
            for (int s = 0; s < _counts.Length; s++)
            {
                _counts[s] = Math.Max(1, _counts[s] / 2);
                Total += _counts[s];
            }
        }
    }
}
