namespace Latent.Export.Tests;

/// <summary>A fact reported as skipped, with the reason, when <c>/usr/bin/python3</c> cannot import <c>onnx</c> (Debian: python3-onnx).</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(() => PythonRunner.CannotImport("onnx"));

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when onnx is not importable.</summary>
    public OnnxCheckerFactAttribute()
    {
        if (Unavailable.Value is { } reason) Skip = reason + " (install python3-onnx)";
    }
}
