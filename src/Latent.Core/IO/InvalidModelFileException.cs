namespace Latent.Core.IO;

/// <summary>
/// A model or weight file (safetensors, checkpoint) that cannot be loaded because its content is malformed:
/// truncated, inconsistent sizes or offsets, an unsupported data type, unreadable header.
/// The message is one line: the file, then what is wrong, with the numbers (expected vs found).
/// </summary>
public sealed class InvalidModelFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with a one-line description of the problem.</summary>
    /// <param name="filePath">The file (or stream name) that was being read.</param>
    /// <param name="problem">What is wrong, e.g. "header length 9000 exceeds the 120 bytes after the length field".</param>
    /// <param name="innerException">The lower-level error, if any (JSON parser, I/O).</param>
    public InvalidModelFileException(string filePath, string problem, Exception? innerException = null)
        : base($"{OneLine(filePath)}: {OneLine(problem)}", innerException)
    {
        FilePath = filePath;
        Problem = OneLine(problem);
    }

    /// <summary>The file (or stream name) that was being read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }

    // Problems may quote bytes from the file; control characters become '?' so that the message stays one line.
    private static string OneLine(string s) =>
        string.Create(s.ReplaceLineEndings(" ").Length, s.ReplaceLineEndings(" "), (span, src) =>
        {
            for (int i = 0; i < src.Length; i++) span[i] = char.IsControl(src[i]) || src[i] is '\u2028' or '\u2029' ? '?' : src[i];
        });
}
