using System.Diagnostics;

namespace Latent.Core.IO;

/// <summary>Questions about other processes on this machine, for lock and temporary files named by their writer's id.</summary>
public static class Processes
{
    /// <summary>Whether a process with id <paramref name="pid"/> is running (this process always is).</summary>
    public static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
