namespace Latent.Data;

/// <summary>
/// A data file could not be read because its content is wrong (bad magic number, truncated, ragged CSV row, bad
/// PNG chunk CRC, ...). The message is one line: the file, then where and what: offset/line/column, expected vs found.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>An error in <paramref name="file"/>; <paramref name="detail"/> says where and what.</summary>
    public DatasetFormatException(string file, string detail)
        : base($"{file}: {detail}")
    {
        FilePath = file;
        Detail = detail;
    }

    /// <summary>An error in <paramref name="file"/> caused by <paramref name="inner"/> (e.g. a corrupt gzip stream).</summary>
    public DatasetFormatException(string file, string detail, Exception inner)
        : base($"{file}: {detail}", inner)
    {
        FilePath = file;
        Detail = detail;
    }

    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }

    /// <summary>What was wrong, without the file name.</summary>
    public string Detail { get; }
}
