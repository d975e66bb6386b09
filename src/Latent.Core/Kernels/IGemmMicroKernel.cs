namespace Latent.Core.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: one MR x NR tile of C from an MR-tall strip of packed A and an
/// NR-wide strip of packed B (see <see cref="GemmPack"/>), plus the cache-block sizes that suit it.
/// </summary>
/// <remarks>
/// Contract of <see cref="Run"/>, for i &lt; MR, j &lt; NR, in this order:
/// <code>
/// acc = 0; for p in 0..kc: acc = fma(a[p*MR + i], b[p*NR + j], acc)   // p ascending, one accumulator per element
///                                                                    // (the portable kernel: acc + a*b, unfused)
/// v = acc * alpha;  c[i*ldc + j] = beta == 0 ? v : v + beta * c[i*ldc + j]
/// </code>
/// beta == 0 never reads C (NaN in C is ignored), and <c>v + 1 * c</c> equals <c>v + c</c>, so callers may pass
/// beta = 1 for every k-block after the first. <c>Gemm.WriteBack</c> is the scalar form of the write-back.
/// </remarks>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the C tile (broadcast elements of A per k step).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the C tile (a whole number of vectors of B per k step).</summary>
    static abstract int NR { get; }

    /// <summary>k block: one packed A strip (MR x KC) and B strip (KC x NR) stay in L1/L2 across a tile loop.</summary>
    static abstract int KC { get; }

    /// <summary>Rows of A packed per block (a multiple of MR); the block stays in L2.</summary>
    static abstract int MC { get; }

    /// <summary>Columns of B packed per panel (a multiple of NR).</summary>
    static abstract int NC { get; }

    /// <summary>Name of the instruction path, printed by the kernel check.</summary>
    static abstract string Name { get; }

    /// <summary>The tile update described on the interface. a and b are 64-byte aligned packed strips.</summary>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta);
}
