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
public sealed record RemoteFile(string FileName, string? ContentSha256, string? ArchiveSha256 = null);
