using Latent.Core.IO;
using System.Globalization;

namespace Latent.Tests;

/// <summary>
/// Temporary folders for tests: each test process writes under TEMP/<c>name</c>/<c>pid</c> and removes that folder when it
/// exits normally; on its first call it removes the folders of test processes that are no longer running (the test host
/// is often ended by its runner, and runs get killed), so a machine that runs the suite again and again keeps at most
/// one run's folders instead of filling up.
/// </summary>
internal static class TestTempRoot
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, string> Roots = [];

    /// <summary>A new empty folder under TEMP/<paramref name="name"/>/PID.</summary>
    public static string NewDir(string name)
    {
        string root;
        lock (Gate)
        {
            if (!Roots.TryGetValue(name, out root!))
            {
                string parent = Path.Combine(Path.GetTempPath(), name);
                RemoveStale(parent);
                root = Path.Combine(parent, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                Roots[name] = root;
                string toRemove = root;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(toRemove);
            }
        }
        var dir = Path.Combine(root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Removes the folders under <paramref name="parent"/> that no running process owns.</summary>
    private static void RemoveStale(string parent)
    {
        if (!Directory.Exists(parent)) return;
        foreach (var dir in Directory.EnumerateDirectories(parent))
        {
            bool alive = int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && Processes.IsRunning(pid);
            if (!alive) TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
