using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Latent.Packaging.Tests;

/// <summary>Runs the dotnet host (and installed tools) as child processes, with an environment the test controls.</summary>
internal static class Dotnet
{
    /// <summary>The repository this test assembly was built from.</summary>
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The configuration the projects were built in (Release under the README's test command).</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The version every project gets from Directory.Build.props.</summary>
    public static string Version { get; } =
        typeof(Dotnet).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    /// <summary>The folder of the running dotnet host (DOTNET_ROOT for installed tools' launchers).</summary>
    public static string Root { get; } = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>The dotnet host.</summary>
    public static string Host { get; } = Path.Combine(Root, "dotnet");

    /// <summary>Runs <paramref name="exe"/> in <paramref name="workingDirectory"/>; exit code and combined output.</summary>
    public static (int Code, string Output) Run(string exe, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo(exe)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        psi.Environment["DOTNET_ROOT"] = Root;
        // The test host's own MSBuild settings must not leak into the child builds.
        foreach (var key in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "VSTEST_HOST_DEBUG" }) psi.Environment.Remove(key);
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            return (-1, $"timed out: {exe} {string.Join(' ', args)}\n{stdout}");
        }
        return (p.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Runs dotnet with <paramref name="args"/> and asserts exit code 0, showing the output otherwise.</summary>
    public static string Succeed(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var (code, output) = Run(Host, workingDirectory, environment, args);
        Assert.True(code == 0, $"dotnet {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    /// <summary>A new empty folder under the system temp folder.</summary>
    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "latent-packaging-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The command lines of the README's "Install" section (its indented lines).</summary>
    public static IReadOnlyList<string> ReadmeInstallCommands()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot, "README.md"));
        int start = Array.FindIndex(lines, l => l.Trim() == "## Install");
        Assert.True(start >= 0, "README.md has no '## Install' section");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
    }

    private static string Metadata(string key) =>
        typeof(Dotnet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
