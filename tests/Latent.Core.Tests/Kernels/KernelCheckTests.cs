using System.Diagnostics;
using System.Reflection;
using System.Runtime.Intrinsics.X86;
using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

/// <summary>
/// Runs tests/Latent.KernelCheck (built with this project, same configuration) in child processes with
/// instruction sets switched off, since a process fixes its instruction sets when it starts. Each run must
/// exit 0 and report the micro-kernel path those settings should select.
/// </summary>
public class KernelCheckTests
{
    // The child inherits this process's settings (so the whole suite can itself run with intrinsics off) and
    // adds the case's. .NET 10 disables AVX-512 with DOTNET_EnableAVX512 and ignores the older
    // DOTNET_EnableAVX512F, so that case sets both.


    [Theory]
    [InlineData("")]
    [InlineData("DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0")]
    [InlineData("DOTNET_EnableAVX2=0")]
    [InlineData("DOTNET_EnableHWIntrinsic=0")]
    public void KernelCheckPassesWithInstructionSetsDisabled(string environment)
    {
        string expected = ExpectedPath(environment);
        var (exitCode, output) = RunKernelCheck(environment);
        Assert.True(exitCode == 0, $"KernelCheck [{environment}] exited {exitCode}:\n{output}");
        Assert.Contains($"sgemm: path={expected} ", output);
        Assert.Contains("mismatches=0", output);
        // The fused elementwise kernels: with intrinsics off, the plain loops.
        Assert.Contains(environment.Contains("EnableHWIntrinsic=0") ? "fused: path=relu_grad=fallback,adam=fallback " : "fused: path=", output);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    public void LatentNumThreadsSetsMaxDegree(string threads)
    {
        var (exitCode, output) = RunKernelCheck($"LATENT_NUM_THREADS={threads}");
        Assert.True(exitCode == 0, $"KernelCheck [LATENT_NUM_THREADS={threads}] exited {exitCode}:\n{output}");
        Assert.Contains($"max_degree={threads}\n", output.Replace("\r\n", "\n"));
    }

    /// <summary>The path the child should take: this process's path, minus what the case switches off.</summary>
    private static string ExpectedPath(string environment)
    {
        string here = Gemm.PathName;
        if (environment.Contains("EnableHWIntrinsic=0")) return "fallback";
        // Without AVX2 (and so without AVX-512) Vector<float> still runs on SSE: the portable vector kernel.
        if (environment.Contains("EnableAVX2=0")) return here is "Vector512" or "Vector256" ? "VectorT" : here;
        if (environment.Contains("EnableAVX512=0")) return here == "Vector512" && Avx2.IsSupported && Fma.IsSupported ? "Vector256" : here;
        return here;
    }

    private static (int ExitCode, string Output) RunKernelCheck(string environment)
    {
        string dll = typeof(KernelCheckTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "KernelCheckDll").Value!;
        Assert.True(File.Exists(dll), $"KernelCheck not built at {dll}");
        var start = new ProcessStartInfo(DotnetHost(), [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var pair in environment.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            start.Environment[kv[0]] = kv[1];
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH for child processes).</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }
}
