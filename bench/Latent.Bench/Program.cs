using System.Diagnostics;
using System.Globalization;
using Latent.Core;
using Latent.Core.Kernels;

namespace Latent.Bench;

/// <summary>
/// <c>Latent.Bench &lt;command&gt; [--option value ...]</c>: one measurement per command, printed as
/// <c>key=value</c> lines that bench/run.sh reads. Commands are a table so other benchmarks can be added.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Func<Options, int>> Commands = new()
    {
        ["sgemm"] = SgemmBench.Run,
        ["mlp"] = EpochBench.RunMlp,
        ["conv"] = EpochBench.RunConv,
        ["convops"] = ConvOpsBench.Run,
        ["infer"] = InferBench.Run,
        ["decode"] = DecodeBench.Run,
    };

    /// <summary>Entry point; returns 0 on success, 2 on a usage error.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Commands.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine($"usage: Latent.Bench <{string.Join('|', Commands.Keys)}> [--option value ...]");
            return 2;
        }
        try
        {
            return command(Options.Parse(args.AsSpan(1)));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"Latent.Bench {args[0]}: {e.Message}");
            return 2;
        }
    }
}
