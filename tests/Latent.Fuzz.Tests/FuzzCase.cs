namespace Latent.Fuzz.Tests;

/// <summary>
/// One generated input: the bytes of a file (for <see cref="Reader.ModelFolder"/>: model.json, with the weights in
/// <see cref="Extra"/>), the reader and the outcome it must have.
/// </summary>
public sealed record FuzzCase(string Name, Reader Reader, string FileName, byte[] Bytes, Expect Expect, byte[]? Extra = null)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
