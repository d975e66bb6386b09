namespace Latent.Models.Compression;

/// <summary>
/// A binary arithmetic coder with 32-bit integer intervals (Witten, Neal and Cleary, "Arithmetic coding for data
/// compression", CACM 1987): each symbol narrows [low, high] to its share of the model's cumulative counts; equal
/// leading bits are shifted out, and an interval straddling the midpoint counts "pending" bits that follow the next
/// decided bit with the opposite value. <see cref="ArithmeticDecoder"/> mirrors it.
/// </summary>
public sealed class ArithmeticEncoder
{
    internal const ulong Top = 0xFFFFFFFFUL, Half = 0x80000000UL, Quarter = 0x40000000UL;

    private readonly List<byte> _bytes = [];
    private ulong _low, _high = Top;
    private int _pending, _bitCount;
    private byte _current;
    private bool _finished;

    /// <summary>Codes <paramref name="symbol"/> with <paramref name="model"/> and then updates the model.</summary>
    public void Encode(int symbol, AdaptiveModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_finished) throw new InvalidOperationException("ArithmeticEncoder: already finished");
        if ((uint)symbol >= (uint)model.Symbols) throw new ArgumentOutOfRangeException(nameof(symbol), $"ArithmeticEncoder: symbol {symbol} outside 0..{model.Symbols - 1}");
        var (cumLow, count) = model.Range(symbol);
        ulong range = _high - _low + 1, total = (ulong)model.Total;
        _high = _low + range * (ulong)(cumLow + count) / total - 1;
        _low += range * (ulong)cumLow / total;
        while (true)
        {
            if (_high < Half) Emit(0);
            else if (_low >= Half) { Emit(1); _low -= Half; _high -= Half; }
            else if (_low >= Quarter && _high < Half + Quarter) { _pending++; _low -= Quarter; _high -= Quarter; }
            else break;
            _low <<= 1;
            _high = (_high << 1) | 1;
        }
        model.Update(symbol);
    }

    /// <summary>Flushes the final interval and returns the coded bytes.</summary>
    public byte[] Finish()
    {
        if (!_finished)
        {
            // Two more bits pick a point inside the final interval.
            _pending++;
            Emit(_low < Quarter ? 0 : 1);
            while (_bitCount != 0) AppendBit(0);
            _finished = true;
        }
        return [.. _bytes];
    }

    private void Emit(int bit)
    {
        AppendBit(bit);
        for (; _pending > 0; _pending--) AppendBit(1 - bit);
    }

    private void AppendBit(int bit)
    {
        _current = (byte)((_current << 1) | bit);
        if (++_bitCount == 8)
        {
            _bytes.Add(_current);
            _current = 0;
            _bitCount = 0;
        }
    }
}
