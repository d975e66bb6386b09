using System.Diagnostics;

namespace Latent.Export.Tests;

/// <summary>Runs <c>/usr/bin/python3</c> and captures its exit code and combined output.</summary>
internal static class PythonRunner
{
    public const string Python = "/usr/bin/python3";

    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Null when <paramref name="module"/> imports; otherwise why not.</summary>
    public static string? CannotImport(string module)
    {
        if (!File.Exists(Python)) return $"{Python} does not exist";
        var (code, output) = Run("-c", $"import {module}");
        if (code == 0) return null;
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return $"{Python} cannot import {module} (exit {code}): {(lines.Length == 0 ? "(no output)" : lines[^1])}";
    }
}
