namespace Latent.Data.Download;

/// <summary>
/// A file to download and how to verify it. <see cref="ContentSha256"/> is the SHA-256 of the decompressed content
/// (stable when a mirror recompresses); <see cref="ArchiveSha256"/> is the SHA-256 of the bytes as served, used only
/// when the content checksum is not known. At least one of the two should be given; with neither the file is
/// accepted unverified.
/// </summary>
/// <param name="FileName">Name on the mirrors and in the cache ("train-images-idx3-ubyte.gz").</param>
/// <param name="ContentSha256">Lower-case hex SHA-256 of the gunzipped content (or of the raw bytes if not gzip), or null.</param>
/// <param name="ArchiveSha256">Lower-case hex SHA-256 of the downloaded bytes, or null.</param>
/// <param name="ContentLength">Bytes of the decompressed content when known (it bounds the download: a gzip file is
/// never much larger than what it holds), or null.</param>
public sealed record RemoteFile(string FileName, string? ContentSha256, string? ArchiveSha256 = null, long? ContentLength = null)
{
    /// <summary>
    /// The most bytes a download of this file may take: <see cref="ContentLength"/> plus 1/64 and 64 KiB for gzip
    /// framing, else <see cref="Latent.Core.IO.InputLimits.MaxInputBytes"/>.
    /// </summary>
    public long MaxDownloadBytes => ContentLength is long n ? n + n / 64 + (64 << 10) : Latent.Core.IO.InputLimits.MaxInputBytes;
}
