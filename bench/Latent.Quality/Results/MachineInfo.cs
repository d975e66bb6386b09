using System.Runtime.InteropServices;

namespace Latent.Quality.Results;

/// <summary>The machine a measurement ran on: CPU model (from /proc/cpuinfo where there is one), logical cores, .NET version.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Dotnet)
{
    /// <summary>This machine.</summary>
    public static MachineInfo Current { get; } = new(CpuModel(), Environment.ProcessorCount, RuntimeInformation.FrameworkDescription);

    private static string CpuModel()
    {
        try
        {
            var line = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                : null;
            if (line is not null) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            // No readable /proc/cpuinfo: fall back to the architecture below.
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
