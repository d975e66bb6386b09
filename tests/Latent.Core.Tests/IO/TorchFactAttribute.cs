namespace Latent.Core.Tests.IO;

/// <summary>
/// A <see cref="FactAttribute"/> that is reported as skipped, with the reason, when <c>/usr/bin/python3</c>
/// cannot import torch, so interop tests never pass silently on machines without PyTorch.
/// </summary>
public sealed class TorchFactAttribute : FactAttribute
{
    /// <summary>The interpreter the interop tests run.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when torch is not importable.</summary>
    public TorchFactAttribute()
    {
        if (Unavailable.Value is { } reason) Skip = reason;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} does not exist";
        var (code, output) = PythonRunner.Run("-c \"import torch\"");
        return code == 0 ? null : $"{Python} cannot import torch (exit {code}): {PythonRunner.LastLine(output)}";
    }
}
