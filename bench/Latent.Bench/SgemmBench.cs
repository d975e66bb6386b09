using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Core.Kernels;

namespace Latent.Bench;

/// <summary><c>sgemm --size N --threads T --reps R</c>: C = A B on N x N float32, best of R timed reps.</summary>
public static class SgemmBench
{
    /// <summary>Runs the measurement and prints <c>sgemm_gflops=...</c>.</summary>
    public static int Run(Options options)
    {
        int n = options.Int("size", 2048);
        int threads = options.Int("threads", Environment.ProcessorCount);
        int reps = options.Int("reps", 7);
        Parallelism.MaxDegree = threads;

        var rng = new Random(1);
        var a = new float[n * n];
        var b = new float[n * n];
        var c = new float[n * n];
        for (int i = 0; i < a.Length; i++) { a[i] = (float)rng.NextDouble() - 0.5f; b[i] = (float)rng.NextDouble() - 0.5f; }

        // Warm-up: lets tiered compilation reach the optimised kernels and the packing buffers grow.
        for (int i = 0; i < 3; i++) Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);

        double best = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        double gflops = 2.0 * n * n * n / best / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sgemm size={n} threads={threads} path={Gemm.PathName} best_s={best:F5} gflops={gflops:F1}"));
        return 0;
    }
}
