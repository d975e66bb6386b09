using System.Globalization;

namespace Latent.Core;

/// <summary>
/// How many threads the compute kernels (GEMM and those built on it) may use for one call.
/// </summary>
/// <remarks>
/// The default is <see cref="Environment.ProcessorCount"/>, overridden by the environment variable
/// <c>LATENT_NUM_THREADS</c> (a positive integer) when the process reads it first. Results do not depend on
/// this value: kernels partition work so that every output element sums its terms in the same order.
/// </remarks>
public static class Parallelism
{
    private static int _maxDegree = FromEnvironment();

    /// <summary>Upper bound on the threads one kernel call uses (at least 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegree
    {
        get => Volatile.Read(ref _maxDegree);
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"Parallelism.MaxDegree: must be >= 1, got {value}");
            Volatile.Write(ref _maxDegree, value);
        }
    }

    private static int FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("LATENT_NUM_THREADS");
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
        return Math.Max(1, Environment.ProcessorCount);
    }
}
