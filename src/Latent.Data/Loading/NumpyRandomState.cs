namespace Latent.Data.Loading;

/// <summary>
/// The stream of numpy's legacy <c>numpy.random.RandomState(seed)</c> for an integer seed, as far as a permutation
/// needs it: MT19937 seeded with <c>init_genrand(seed)</c> (numpy's <c>mt19937_seed</c>; an integer seed does not go
/// through <c>init_by_array</c>), 32-bit tempered outputs, 64-bit draws as <c>(hi &lt;&lt; 32) | lo</c>, bounded
/// integers by bit-mask rejection (<c>random_interval</c>) and <c>permutation(n)</c> = <c>arange(n)</c> shuffled by
/// Fisher–Yates from the last element down. Only for reproducing splits made with numpy / scikit-learn
/// (<see cref="DataSplit.SklearnTrainTestSplit"/>); Latent's own randomness is <see cref="Latent.Core.Rng"/>.
/// Checked bit for bit against numpy 1.24 by tests/Golden/numpy_split/gen_numpy_split.py.
/// </summary>
public sealed class NumpyRandomState
{
    private const int N = 624, M = 397;
    private const uint MatrixA = 0x9908b0dfU, UpperMask = 0x80000000U, LowerMask = 0x7fffffffU;
    private readonly uint[] _mt = new uint[N];
    private int _pos;

    /// <summary>The state of <c>numpy.random.RandomState(seed)</c>.</summary>
    public NumpyRandomState(uint seed)
    {
        // Matsumoto & Nishimura's init_genrand (2002), as numpy's mt19937_seed writes it.
        _mt[0] = seed;
        for (int i = 1; i < N; i++) _mt[i] = 1812433253U * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i;
        _pos = N;
    }

    /// <summary>The next 32 random bits (numpy's <c>mt19937_next32</c>, i.e. <c>RandomState.randint(2**32)</c>'s source).</summary>
    public uint NextUInt32()
    {
        if (_pos == N) Generate();
        uint y = _mt[_pos++];
        // Tempering.
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    /// <summary>The next 64 random bits: two 32-bit outputs, the first one high (numpy's <c>mt19937_next64</c>).</summary>
    public ulong NextUInt64()
    {
        ulong hi = NextUInt32();
        return (hi << 32) | NextUInt32();
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="max"/>] (inclusive), numpy's legacy <c>random_interval</c>: draws
    /// masked to the smallest all-ones mask ≥ max are rejected until one is ≤ max; 32-bit draws when max fits in 32 bits.
    /// </summary>
    public ulong Interval(ulong max)
    {
        if (max == 0) return 0;
        ulong mask = max;
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32;
        ulong value;
        if (max <= uint.MaxValue)
            while ((value = NextUInt32() & mask) > max) { }
        else
            while ((value = NextUInt64() & mask) > max) { }
        return value;
    }

    /// <summary><c>RandomState.permutation(n)</c>: 0..n-1 shuffled in place from the end (<c>j = Interval(i)</c> for i = n-1 … 1).</summary>
    public int[] Permutation(int n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), $"Permutation: n must be non-negative, got {n}");
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)Interval((ulong)i);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    private void Generate()
    {
        int k;
        uint y;
        for (k = 0; k < N - M; k++)
        {
            y = (_mt[k] & UpperMask) | (_mt[k + 1] & LowerMask);
            _mt[k] = _mt[k + M] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
        }
        for (; k < N - 1; k++)
        {
            y = (_mt[k] & UpperMask) | (_mt[k + 1] & LowerMask);
            _mt[k] = _mt[k + (M - N)] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
        }
        y = (_mt[N - 1] & UpperMask) | (_mt[0] & LowerMask);
        _mt[N - 1] = _mt[M - 1] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
        _pos = 0;
    }
}
