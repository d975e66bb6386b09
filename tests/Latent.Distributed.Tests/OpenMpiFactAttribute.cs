using System.Diagnostics;

namespace Latent.Distributed.Tests;

/// <summary>An <see cref="MpiFactAttribute"/> that also needs Open MPI's mpirun (its signal handling and MCA variables).</summary>
public sealed class OpenMpiFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when MPI is unavailable or mpirun is not Open MPI's.</summary>
    public OpenMpiFactAttribute()
    {
        Skip = new MpiFactAttribute().Skip ?? (IsOpenMpi.Value ? null : "mpirun is not Open MPI's (the test uses its Ctrl+C handling and OMPI_MCA_ variables)");
    }

    private static readonly Lazy<bool> IsOpenMpi = new(() =>
    {
        var psi = new ProcessStartInfo(MpiFactAttribute.Mpirun!, "--version") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return text.Contains("Open MPI", StringComparison.Ordinal) || text.Contains("OpenRTE", StringComparison.Ordinal);
    });
}
