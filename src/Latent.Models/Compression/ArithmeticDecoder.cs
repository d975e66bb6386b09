namespace Latent.Models.Compression;

/// <summary>Decodes what <see cref="ArithmeticEncoder"/> wrote, given the same sequence of models.</summary>
public sealed class ArithmeticDecoder
{
    private const ulong Top = ArithmeticEncoder.Top, Half = ArithmeticEncoder.Half, Quarter = ArithmeticEncoder.Quarter;

    private readonly byte[] _bytes;
    private ulong _low, _high = Top, _value;
    private long _bit;

    /// <summary>A decoder over <paramref name="bytes"/>; reading past the end supplies zero bits.</summary>
    public ArithmeticDecoder(byte[] bytes)
    {
        _bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
        for (int i = 0; i < 32; i++) _value = (_value << 1) | NextBit();
    }

    /// <summary>The next symbol under <paramref name="model"/>, which is then updated as the encoder did.</summary>
    public int Decode(AdaptiveModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ulong range = _high - _low + 1, total = (ulong)model.Total;
        ulong target = ((_value - _low + 1) * total - 1) / range;
        if (target >= total) throw new InvalidDataException("ArithmeticDecoder: the coded data is corrupt");
        var (symbol, cumLow, count) = model.Find((int)target);
        _high = _low + range * (ulong)(cumLow + count) / total - 1;
        _low += range * (ulong)cumLow / total;
        while (true)
        {
            if (_high < Half) { }
            else if (_low >= Half) { _low -= Half; _high -= Half; _value -= Half; }
            else if (_low >= Quarter && _high < Half + Quarter) { _low -= Quarter; _high -= Quarter; _value -= Quarter; }
            else break;
            _low <<= 1;
            _high = (_high << 1) | 1;
            _value = (_value << 1) | NextBit();
        }
        model.Update(symbol);
        return symbol;
    }

    private ulong NextBit()
    {
        long i = _bit++;
        return i / 8 < _bytes.Length ? (ulong)((_bytes[i / 8] >> (7 - (int)(i % 8))) & 1) : 0UL;
    }
}
