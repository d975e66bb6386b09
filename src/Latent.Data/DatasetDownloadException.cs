namespace Latent.Data;

/// <summary>
/// A file could not be downloaded from any mirror (HTTP error, connection dropped, checksum mismatch). The message
/// lists each mirror tried and why it failed; nothing is left in the cache.
/// </summary>
public sealed class DatasetDownloadException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> with one entry per failed attempt.</summary>
    public DatasetDownloadException(string file, IReadOnlyList<string> attempts, Exception? lastError)
        : base($"could not download {file}: " + string.Join("; ", attempts), lastError)
    {
        File = file;
        Attempts = attempts;
    }

    /// <summary>The file name that was being downloaded.</summary>
    public string File { get; }

    /// <summary>One line per mirror tried: the URL and what went wrong.</summary>
    public IReadOnlyList<string> Attempts { get; }
}
