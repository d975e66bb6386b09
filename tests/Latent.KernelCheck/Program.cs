namespace Latent.KernelCheck;

/// <summary>
/// Prints <c>max_degree=&lt;n&gt;</c> (<see cref="Latent.Core.Parallelism.MaxDegree"/>), runs every
/// <see cref="IKernelCheck"/> and prints <c>&lt;name&gt;: path=&lt;path&gt; cases=&lt;n&gt; mismatches=&lt;n&gt;</c> per kernel,
/// then <c>OK</c> or <c>FAIL</c>. Returns 0 when nothing mismatched, 1 otherwise.
/// </summary>
public static class Program
{
    /// <summary>The checks, in order. A new kernel adds its check here.</summary>
    public static readonly IReadOnlyList<IKernelCheck> Checks =
    [
        new SgemmCheck(),
        new FusedCheck(),
        new Im2ColCheck(),
        new ConvWeightGradCheck(),
    ];

    /// <summary>Entry point; optional arguments name the checks to run (default: all).</summary>
    public static int Main(string[] args)
    {
        Console.WriteLine($"max_degree={Latent.Core.Parallelism.MaxDegree}");
        int failed = 0;
        foreach (var check in Checks)
        {
            if (args.Length > 0 && !args.Contains(check.Name)) continue;
            var (cases, mismatches) = check.Run(Console.Out);
            Console.WriteLine($"{check.Name}: path={check.Path} cases={cases} mismatches={mismatches}");
            if (mismatches > 0) failed++;
        }
        Console.WriteLine(failed == 0 ? "OK" : $"FAIL ({failed} kernels)");
        return failed == 0 ? 0 : 1;
    }
}
