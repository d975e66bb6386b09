namespace Latent.Core;

/// <summary>
/// Seeded random numbers (xoshiro256**, seeded through SplitMix64). The same seed gives the same stream on
/// every machine, so a run is reproducible bit for bit; <see cref="GetState"/>/<see cref="SetState"/> let
/// checkpoints resume a stream exactly.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The four state words.</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(ulong[] state)
    {
        if (state is not { Length: 4 } || (state[0] | state[1] | state[2] | state[3]) == 0)
            throw new ArgumentException("Rng.SetState: expected 4 words, not all zero", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    /// <summary>A new generator whose stream is independent of this one's (for a worker or a sub-task).</summary>
    public Rng Fork() => new(NextUInt64());

    /// <summary>64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits (every float32 step is equally likely).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "NextInt: n must be positive");
        ulong range = (ulong)n;
        while (true)
        {
            ulong x = NextUInt64() >> 32;
            ulong m = x * range;
            if ((uint)m >= (uint)(((1UL << 32) - range) % range)) return (int)(m >> 32);
        }
    }

    /// <summary>Standard normal (Box–Muller in double precision, one value per call: no cached pair, so state is simple).</summary>
    public float NextNormal()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        double u2 = NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    /// <summary>Standard Gumbel: -log(-log(U)).</summary>
    public float NextGumbel()
    {
        double u = NextDouble();
        u = Math.Clamp(u, 1e-20, 1.0 - 1e-16);
        return (float)-Math.Log(-Math.Log(u));
    }

    // ---- tensors -----------------------------------------------------------------------------------

    /// <summary>Uniform in [low, high).</summary>
    public Tensor Uniform(int[] shape, float low = 0f, float high = 1f)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        float w = high - low;
        for (int i = 0; i < s.Length; i++) s[i] = low + w * NextFloat();
        return t;
    }

    /// <summary>Normal with the given mean and standard deviation.</summary>
    public Tensor Normal(int[] shape, float mean = 0f, float std = 1f)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = mean + std * NextNormal();
        return t;
    }

    /// <summary>1 with probability <paramref name="p"/>, else 0.</summary>
    public Tensor Bernoulli(int[] shape, float p)
    {
        if (p is < 0f or > 1f) throw new ArgumentOutOfRangeException(nameof(p), $"Bernoulli: p = {p} is not in [0, 1]");
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = NextFloat() < p ? 1f : 0f;
        return t;
    }

    /// <summary>Standard Gumbel noise.</summary>
    public Tensor Gumbel(int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = NextGumbel();
        return t;
    }

    /// <summary>A uniformly random permutation of 0..n-1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
