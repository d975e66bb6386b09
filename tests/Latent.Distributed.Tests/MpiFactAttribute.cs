using System.Runtime.InteropServices;

namespace Latent.Distributed.Tests;

/// <summary>A fact that is skipped, with the reason, where mpirun or an MPI library cannot be found.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when MPI is unavailable.</summary>
    public MpiFactAttribute()
    {
        if (Unavailable.Value is { } reason) Skip = reason + " (install openmpi-bin and libopenmpi-dev, or mpich)";
    }

    /// <summary>The full path of mpirun, or null.</summary>
    public static string? Mpirun => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(d => Path.Combine(d, "mpirun")).FirstOrDefault(File.Exists);

    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        if (Mpirun is null) return "MPI: mpirun is not on PATH";
        foreach (var name in new[] { "libmpi.so.40", "libmpi.so", "libmpich.so.12", "libmpich.so" })
            if (NativeLibrary.TryLoad(name, out _)) return null;
        return "MPI: no libmpi.so.40 or libmpich.so.12";
    });
}
