namespace Latent.Data;

/// <summary>
/// A data file could not be read because its content is wrong (bad magic number, truncated, ragged CSV row, bad
/// PNG chunk CRC, ...). The message is one line: the file, then where and what: offset/line/column, expected vs found.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>An error in <paramref name="file"/>; <paramref name="detail"/> says where and what.</summary>
    public DatasetFormatException(string file, string detail)
        : base($"{OneLine(file)}: {OneLine(detail)}")
    {
        FilePath = file;
        Detail = OneLine(detail);
    }

    /// <summary>An error in <paramref name="file"/> caused by <paramref name="inner"/> (e.g. a corrupt gzip stream).</summary>
    public DatasetFormatException(string file, string detail, Exception inner)
        : base($"{OneLine(file)}: {OneLine(detail)}", inner)
    {
        FilePath = file;
        Detail = OneLine(detail);
    }

    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }

    /// <summary>What was wrong, without the file name.</summary>
    public string Detail { get; }

    // Details quote bytes from the file (a cell, a chunk type); control characters in them become '?' so that the
    // message stays one printable line.
    private static string OneLine(string s)
    {
        if (!s.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029')) return s;
        return string.Create(s.Length, s, (span, src) =>
        {
            for (int i = 0; i < src.Length; i++) span[i] = char.IsControl(src[i]) || src[i] is '\u2028' or '\u2029' ? '?' : src[i];
        });
    }
}
