namespace Latent.Fuzz.Tests;

/// <summary>Which reader a case is fed to.</summary>
public enum Reader { Idx, Npy, Npz, Png, Csv, SafeTensors, ModelFolder, Checkpoint }

/// <summary>What a case must end in: a result, the reader's documented error, or either of the two (random damage).</summary>
public enum Expect { Ok, Error, Either }

/// <summary>
/// One generated input: the bytes of a file (for <see cref="Reader.ModelFolder"/>: model.json, with the weights in
/// <see cref="Extra"/>), the reader and the outcome it must have.
/// </summary>
public sealed record FuzzCase(string Name, Reader Reader, string FileName, byte[] Bytes, Expect Expect, byte[]? Extra = null)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
