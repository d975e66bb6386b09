namespace Latent.Export.Tests;

/// <summary>A fact reported as skipped, with the reason, when <c>/usr/bin/python3</c> cannot import <c>torch</c> (Debian: python3-torch).</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    internal static readonly Lazy<string?> Unavailable = new(() => PythonRunner.CannotImport("torch"));

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when torch is not importable.</summary>
    public TorchFactAttribute()
    {
        if (Unavailable.Value is { } reason) Skip = reason + " (install python3-torch)";
    }
}

/// <summary>A theory reported as skipped, with the reason, when <c>/usr/bin/python3</c> cannot import <c>torch</c> (Debian: python3-torch).</summary>
public sealed class TorchTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when torch is not importable.</summary>
    public TorchTheoryAttribute()
    {
        if (TorchFactAttribute.Unavailable.Value is { } reason) Skip = reason + " (install python3-torch)";
    }
}
