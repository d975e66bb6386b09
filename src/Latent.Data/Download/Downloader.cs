using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;

namespace Latent.Data.Download;

/// <summary>
/// Downloads files into a cache folder, trying each mirror in turn. A file is written to a temporary name in the
/// cache folder, its SHA-256 is checked (see <see cref="RemoteFile"/>), and only then is it renamed to its final
/// name; on any failure the temporary file is deleted, so the cache never holds an unverified file.
/// </summary>
public sealed class Downloader
{
    private const int ReportEvery = 1 << 18; // bytes between two progress reports
    private readonly HttpClient _http;

    /// <summary>A downloader using <paramref name="http"/> (default: a shared client with a 100 s header timeout).</summary>
    public Downloader(HttpClient? http = null) => _http = http ?? SharedClient.Value;

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(100) });

    /// <summary>
    /// Makes sure <paramref name="file"/> is in <paramref name="cacheFolder"/>: returns its path at once if it is there,
    /// else downloads it from the first mirror that works (each mirror is a base URL; the file name is appended).
    /// Throws <see cref="DatasetDownloadException"/> listing every mirror's failure when none works.
    /// </summary>
    public string Fetch(RemoteFile file, IReadOnlyList<Uri> mirrors, string cacheFolder,
        IProgress<(long Done, long? Total, string File)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mirrors);
        ArgumentException.ThrowIfNullOrEmpty(cacheFolder);
        if (mirrors.Count == 0) throw new ArgumentException($"Fetch {file.FileName}: no mirrors given", nameof(mirrors));
        var target = Path.Combine(cacheFolder, file.FileName);
        if (File.Exists(target)) return target;
        Directory.CreateDirectory(cacheFolder);

        var attempts = new List<string>();
        Exception? last = null;
        foreach (var mirror in mirrors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var url = new Uri(EnsureSlash(mirror), file.FileName);
            var tmp = Path.Combine(cacheFolder, $".{file.FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.part");
            try
            {
                DownloadTo(url, tmp, file.FileName, progress, cancellationToken);
                var problem = Verify(file, tmp);
                if (problem is not null)
                {
                    attempts.Add($"{url}: {problem}");
                    continue;
                }
                File.Move(tmp, target, overwrite: true);
                return target;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException
                                      || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Network-level failures move on to the next mirror; they are all reported if every mirror fails.
                attempts.Add($"{url}: {e.Message}");
                last = e;
            }
            finally
            {
                if (File.Exists(tmp)) File.Delete(tmp);
            }
        }
        throw new DatasetDownloadException(file.FileName, attempts, last);
    }

    private static Uri EnsureSlash(Uri u) => u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");

    private void DownloadTo(Uri url, string tmp, string name, IProgress<(long, long?, string)>? progress, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        long? total = response.Content.Headers.ContentLength;
        using var body = response.Content.ReadAsStream(ct);
        using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        var buffer = new byte[1 << 16];
        long done = 0, nextReport = 0;
        progress?.Report((0, total, name));
        int n;
        while ((n = body.Read(buffer, 0, buffer.Length)) > 0)
        {
            fs.Write(buffer, 0, n);
            done += n;
            if (done >= nextReport)
            {
                progress?.Report((done, total, name));
                nextReport = done + ReportEvery;
            }
        }
        if (total is long t && done != t)
            throw new IOException($"connection closed after {done} of {t} bytes");
        fs.Flush(flushToDisk: true);
        progress?.Report((done, total, name));
    }

    /// <summary>Null when the file matches its checksums, else what did not match.</summary>
    internal static string? Verify(RemoteFile file, string path)
    {
        if (file.ArchiveSha256 is not null && file.ContentSha256 is null)
        {
            string found = HashFile(path, decompress: false);
            if (!found.Equals(file.ArchiveSha256, StringComparison.OrdinalIgnoreCase))
                return $"SHA-256 of the downloaded bytes: expected {file.ArchiveSha256}, found {found}";
        }
        if (file.ContentSha256 is not null)
        {
            string found;
            try
            {
                found = HashFile(path, decompress: DataFile.IsGzip(path));
            }
            catch (InvalidDataException e)
            {
                return $"corrupt gzip stream: {e.Message}";
            }
            if (!found.Equals(file.ContentSha256, StringComparison.OrdinalIgnoreCase))
                return $"SHA-256 of the decompressed content: expected {file.ContentSha256}, found {found}";
        }
        return null;
    }

    /// <summary>Lower-case hex SHA-256 of a file, optionally of its gunzipped content.</summary>
    internal static string HashFile(string path, bool decompress)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using Stream s = decompress ? new GZipStream(fs, CompressionMode.Decompress) : fs;
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
