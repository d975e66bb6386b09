using System.Diagnostics;
using Latent.Core;
using Latent.NN;
using Latent.NN.Inference;

namespace Latent.Bench;

/// <summary>
/// The timing shared by <c>infer</c> and <c>decode</c>: a network over every sample at batch 256 (a warm-up pass that
/// also sums the outputs, then the best of 3 passes) and on one sample at a time (latencies of N calls after 100
/// warm-up calls), through an <see cref="InferencePlan"/> when given, else through the layers' Forward, each call in a
/// <see cref="Tensor.Scratch"/> scope unless <c>reuse</c> is off.
/// </summary>
public static class InferenceTiming
{
    /// <summary>Samples a second at batch 256, batch-1 p50 and p99 latency (µs), and the sum of all batch outputs.</summary>
    public static (double ImagesPerSecond, double P50, double P99, double Checksum) Measure(
        Layer network, InferencePlan? plan, float[] samples, int[] sampleShape, int outputSize, int calls, bool reuse = true)
    {
        const int batch = 256;
        int size = Shapes.Size(sampleShape), count = samples.Length / size;
        var output = new float[batch * outputSize];
        using var noGrad = Tensor.NoGrad();
        ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int n)
        {
            if (plan is not null)
            {
                plan.Run(x, output.AsSpan(0, n * outputSize));
                return output.AsSpan(0, n * outputSize);
            }
            using var scratch = reuse ? Tensor.Scratch() : null;
            network.Forward(Tensor.FromArray(x, [n, .. sampleShape])).Span.CopyTo(output);
            return output.AsSpan(0, n * outputSize);
        }
        double checksum = 0;
        double Pass(bool sum)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int start = 0; start < count; start += batch)
            {
                int n = Math.Min(batch, count - start);
                var y = Forward(samples.AsSpan(start * size, n * size), n);
                if (sum) foreach (float v in y) checksum += v;
            }
            return Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Pass(sum: true);
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++) best = Math.Min(best, Pass(sum: false));
        var one = new float[size];
        var latencies = new double[calls];
        for (int i = -100; i < calls; i++)
        {
            samples.AsSpan((i + 100) % count * size, size).CopyTo(one);
            long t0 = Stopwatch.GetTimestamp();
            _ = Forward(one, 1)[0];
            if (i >= 0) latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }
        Array.Sort(latencies);
        return (count / best, latencies[calls / 2], latencies[calls * 99 / 100], checksum);
    }
}
