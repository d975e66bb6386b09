using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Latent.Core;
using Latent.Core.Kernels;

namespace Latent.Bench;

/// <summary>
/// <c>convops --threads T [--reps R] [--kernels 1]</c>: the conv VAE's convolution kernels one by one at batch 128 (best
/// of R reps, milliseconds), to see where a conv training step goes without a profiler, and the same layers as the
/// direct channels-last convolution with its layout moves (direct, to_cl, from_cl). Prints one
/// <c>OP name=... ms=...</c> line per kernel; <c>--kernels 1</c> times only im2col's pack and unpack.
/// </summary>
public static class ConvOpsBench
{
    /// <summary>Runs the measurements; returns 0.</summary>
    public static int Run(Options options)
    {
        int threads = options.Int("threads", Environment.ProcessorCount);
        int reps = options.Int("reps", 20);
        Parallelism.MaxDegree = threads;
        const int n = 128;
        // conv1 / convT2 (big 1x28x28, small 32x14x14) and conv2 / convT1 (big 32x14x14, small 64x7x7).
        var geometries = new (string Name, ConvGeometry G)[]
        {
            ("c1", new ConvGeometry(n, 1, 28, 28, 32, 14, 14, 4, 4, 2, 1, 1)),
            ("c2", new ConvGeometry(n, 32, 14, 14, 64, 7, 7, 4, 4, 2, 1, 1)),
        };
        var rng = new Random(1);
        foreach (var (name, g) in geometries)
        {
            var big = Fill(rng, g.N * g.C * g.BigPlane);
            var small = Fill(rng, g.N * g.O * g.SmallPlane);
            var w = Fill(rng, g.O * g.K);
            var outSmall = new float[small.Length];
            var outBig = new float[big.Length];
            var dw = new float[w.Length];
            var cols = new float[g.K * g.N * g.SmallPlane];
            int ld = g.N * g.SmallPlane;
            Time($"{name}.pack", reps, () => { for (int b = 0; b < g.N; b++) Im2Col.Pack(big.AsSpan(b * g.C * g.BigPlane, g.C * g.BigPlane), g, cols, ld, b * g.SmallPlane); });
            Time($"{name}.unpack", reps, () => { for (int b = 0; b < g.N; b++) Im2Col.Unpack(cols, ld, b * g.SmallPlane, g, outBig.AsSpan(b * g.C * g.BigPlane, g.C * g.BigPlane)); });
            if (options.Int("kernels", 2) == 1) continue;
            Time($"{name}.pack1", reps, () => { for (int b = 0; b < g.N; b++) Im2Col.Pack(big.AsSpan(b * g.C * g.BigPlane, g.C * g.BigPlane), g, cols, g.SmallPlane, 0); });
            Time($"{name}.unpack1", reps, () => { for (int b = 0; b < g.N; b++) Im2Col.Unpack(cols, g.SmallPlane, 0, g, outBig.AsSpan(b * g.C * g.BigPlane, g.C * g.BigPlane)); });
            Time($"{name}.unpack1o", reps, () => { for (int b = 0; b < g.N; b++) Im2Col.Unpack(cols, g.SmallPlane, 0, g, outBig.AsSpan(b * g.C * g.BigPlane, g.C * g.BigPlane), true); });
            Time($"{name}.fwd", reps, () => Conv2dKernel.Forward(big, w, default, g, outSmall));
            Time($"{name}.data", reps, () => Conv2dKernel.BackwardData(small, w, default, g, outBig));
            Time($"{name}.wgrad", reps, () => Conv2dKernel.WeightGrad(big, small, g, dw));
            Time($"{name}.fwd+wgrad", reps, () => Conv2dKernel.ForwardAndWeightGrad(big, w, small, g, outSmall, dw));
            Direct(name, reps, rng, g);
            int l2 = 83 * g.SmallPlane;
            Time($"{name}.gemm_fwd83", reps, () => Gemm.Sgemm(false, false, g.O, l2, g.K, 1f, w, g.K, cols, l2, 0f, outSmall, l2));
            Time($"{name}.gemm_fwd", reps, () => Gemm.Sgemm(false, false, g.O, ld, g.K, 1f, w, g.K, cols, ld, 0f, outSmall, ld));
        }
        return 0;
    }

    /// <summary>
    /// The same layer as a channels-last direct convolution (<see cref="DirectConv"/>, the inference plan's kernel) over
    /// zero-padded [Hp, Wp, C] images, weights packed once.
    /// </summary>
    private static unsafe void Direct(string name, int reps, Random rng, ConvGeometry g)
    {
        int hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.Pad, taps = g.Kh * g.Kw;
        var input = Fill(rng, g.N * hp * wp * g.C);
        var w = Fill(rng, g.O * g.K);
        var packed = new float[DirectConv.PackedSize(g.O, g.C, taps)];
        DirectConv.Pack(w, g.O, g.C, taps, packed);
        var bias = Fill(rng, g.O);
        var output = new float[g.N * g.SmallPlane * g.O];
        int rows = g.SmallPlane;
        var rowIn = new int[rows];
        var rowOut = new int[rows];
        for (int q = 0; q < rows; q++) rowOut[q] = q * g.O;
        var tapOff = new int[taps];
        Conv2dKernel.WindowOffsets(g, rowIn, tapOff);
        var (runTaps, runChannels) = Conv2dKernel.RowTaps(g, tapOff);
        var back = new float[Math.Max(output.Length, g.N * g.C * g.BigPlane)];
        Time($"{name}.to_cl", reps, () =>
        {
            fixed (float* pb = back, pin = input)
                for (int b = 0; b < g.N; b++) ChannelsLast.ToPadded(pb + (long)b * g.C * g.BigPlane, g.C, g.H, g.W, g.PadH, g.Pad, hp, wp, pin + (long)b * hp * wp * g.C);
        });
        Time($"{name}.from_cl", reps, () =>
        {
            fixed (float* pout = output, pb = back)
                for (int b = 0; b < g.N; b++) ChannelsLast.Transpose(pout + (long)b * rows * g.O, rows, g.O, pb + (long)b * rows * g.O);
        });
        Time($"{name}.direct", reps, () =>
        {
            fixed (float* pin = input, pw = packed, pb = bias, pout = output)
            fixed (int* pri = rowIn, pro = rowOut, pt = tapOff)
                for (int b = 0; b < g.N; b++)
                    DirectConv.Run(pin + (long)b * hp * wp * g.C, pri, rows, pt, runTaps, runChannels, pw, pb, g.O, pout + (long)b * rows * g.O, pro, true);
        });
    }

    private static float[] Fill(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    private static void Time(string name, int reps, Action body)
    {
        body();
        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            double c0 = ThreadCpuMs();
            long t0 = Stopwatch.GetTimestamp();
            body();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            bestCpu = Math.Min(bestCpu, ThreadCpuMs() - c0);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"OP name={name} ms={best:F3} thread_cpu_ms={bestCpu:F3}"));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec ts);

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), in ms; insensitive to other processes' load.</summary>
    private static double ThreadCpuMs()
    {
        ClockGetTime(3, out var ts);
        return ts.Seconds * 1e3 + ts.Nanoseconds * 1e-6;
    }
}
