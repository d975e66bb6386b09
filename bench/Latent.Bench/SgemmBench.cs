using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Core.Kernels;

namespace Latent.Bench;

/// <summary>
/// <c>sgemm --size N --threads T --reps R</c>: C = A B on N x N float32, best of R timed reps
/// (<c>--m/--n/--k</c> override the square size, <c>--trans NN|NT|TN|TT</c> picks op(A), op(B); small problems
/// repeat the product to time ~1 ms).
/// </summary>
public static class SgemmBench
{
    /// <summary>Runs the measurement and prints <c>sgemm_gflops=...</c>.</summary>
    public static int Run(Options options)
    {
        int size = options.Int("size", 2048);
        int m = options.Int("m", size), n = options.Int("n", size), k = options.Int("k", size);
        int threads = options.Int("threads", Environment.ProcessorCount);
        int reps = options.Int("reps", 7);
        string trans = options.Text("trans", "NN");
        if (trans is not ("NN" or "NT" or "TN" or "TT")) throw new ArgumentException($"--trans must be NN, NT, TN or TT, got '{trans}'");
        bool ta = trans[0] == 'T', tb = trans[1] == 'T';
        Parallelism.MaxDegree = threads;

        var rng = new Random(1);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble() - 0.5f;
        double flops = 2.0 * m * n * k;
        int inner = (int)Math.Clamp(2e8 / flops, 1, 100_000);

        // Warm-up, at least 3 products and 0.5 s: lets tiered compilation finish and the packing buffers grow.
        long warm = Stopwatch.GetTimestamp();
        for (int i = 0; i < 3 || Stopwatch.GetElapsedTime(warm).TotalSeconds < 0.5; i++)
            Gemm.Sgemm(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, c, n);

        double best = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++) Gemm.Sgemm(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, c, n);
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds / inner);
        }
        double gflops = flops / best / 1e9;
        string shape = (m == n && n == k ? $"size={n}" : $"m={m} n={n} k={k}") + (trans == "NN" ? "" : $" trans={trans}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sgemm {shape} threads={threads} path={Gemm.PathName} best_s={best:F6} gflops={gflops:F1}"));
        return 0;
    }
}
