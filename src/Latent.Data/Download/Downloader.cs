using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Latent.Core.IO;

namespace Latent.Data.Download;

/// <summary>
/// Downloads files into a cache folder, trying each mirror in turn. A file is written to a temporary name in the
/// cache folder, its SHA-256 is checked (see <see cref="RemoteFile"/>), and only then is it renamed to its final
/// name; on any failure the temporary file is deleted, so the cache never holds an unverified file. Temporary files
/// left by a killed process are removed by the next fetch of the same file. Every read of the body has a timeout
/// (<see cref="ReadTimeout"/>), and a body longer than <see cref="RemoteFile.MaxDownloadBytes"/> (or than the
/// announced length) is cut off. A file already in the cache is verified on its first use in a process.
/// </summary>
public sealed class Downloader
{
    private const int ReportEvery = 1 << 18; // bytes between two progress reports
    private readonly HttpClient _http;

    // Cached files verified in this process: path -> (length, last write) when verified.
    private static readonly ConcurrentDictionary<string, (long Length, DateTime Written)> Verified = new(StringComparer.Ordinal);

    /// <summary>A downloader using <paramref name="http"/> (default: a shared client with a 100 s header timeout).</summary>
    public Downloader(HttpClient? http = null) => _http = http ?? SharedClient.Value;

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(100) });

    /// <summary>The longest wait for the response headers (default 30 s); a mirror that does not answer in time fails.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait for any read of the body (default 30 s); a mirror that stalls longer fails.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Makes sure <paramref name="file"/> is in <paramref name="cacheFolder"/>: returns its path at once if it is there
    /// and matches its checksums, else downloads it from the first mirror that works (each mirror is a base URL; the
    /// file name is appended). A cached file that fails its checksum is deleted and downloaded again.
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
        if (File.Exists(target))
        {
            if (VerifyCached(file, target) is null) return target;
            File.Delete(target);
        }
        Directory.CreateDirectory(cacheFolder);
        RemoveStaleParts(cacheFolder, file.FileName);

        var attempts = new List<string>();
        Exception? last = null;
        foreach (var mirror in mirrors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var url = new Uri(EnsureSlash(mirror), file.FileName);
            var tmp = Path.Combine(cacheFolder, $".{file.FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.part");
            try
            {
                DownloadTo(url, tmp, file, progress, cancellationToken);
                var problem = Verify(file, tmp);
                if (problem is not null)
                {
                    attempts.Add($"{url}: {problem}");
                    continue;
                }
                File.Move(tmp, target, overwrite: true);
                Remember(target);
                return target;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
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

    /// <summary>
    /// Null when the cached file at <paramref name="path"/> matches <paramref name="file"/>'s checksums, else what did
    /// not match. The file is hashed once per process (again only if its length or time stamp change).
    /// </summary>
    public static string? VerifyCached(RemoteFile file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (Verified.TryGetValue(info.FullName, out var seen) && seen == (info.Length, info.LastWriteTimeUtc)) return null;
        var problem = Verify(file, path);
        if (problem is null) Verified[info.FullName] = (info.Length, info.LastWriteTimeUtc);
        return problem;
    }

    private static void Remember(string path)
    {
        var info = new FileInfo(path);
        Verified[info.FullName] = (info.Length, info.LastWriteTimeUtc);
    }

    /// <summary>Deletes ".name.PID.*.part" files whose process no longer runs (downloads killed part-way).</summary>
    private static void RemoveStaleParts(string folder, string name)
    {
        foreach (var part in Directory.EnumerateFiles(folder, $".{name}.*.part"))
        {
            var middle = Path.GetFileName(part)[(name.Length + 2)..];
            int dot = middle.IndexOf('.');
            if (dot <= 0 || !int.TryParse(middle.AsSpan(0, dot), out int pid) || Processes.IsRunning(pid)) continue;
            try { File.Delete(part); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static Uri EnsureSlash(Uri u) => u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");

    private void DownloadTo(Uri url, string tmp, RemoteFile file, IProgress<(long, long?, string)>? progress, CancellationToken ct)
    {
        string name = file.FileName;
        long cap = file.MaxDownloadBytes;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(ResponseTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        HttpResponseMessage response;
        try
        {
            response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new IOException($"no response within {ResponseTimeout.TotalSeconds:0.#} s", e);
        }
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
                throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            long? total = response.Content.Headers.ContentLength;
            if (total > cap)
                throw new IOException($"the server announces {total} bytes, more than the {cap} this file can take");
            long limit = total ?? cap;
            using var body = response.Content.ReadAsStream(ct);
            using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            var buffer = new byte[1 << 16];
            long done = 0, nextReport = 0;
            progress?.Report((0, total, name));
            while (true)
            {
                timer.CancelAfter(ReadTimeout);
                int n;
                try
                {
                    n = body.ReadAsync(buffer.AsMemory(), timer.Token).AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    throw new IOException($"no data for {ReadTimeout.TotalSeconds:0.#} s after {done} bytes (stalled)", e);
                }
                if (n == 0) break;
                if (done + n > limit)
                    throw new IOException(total is null
                        ? $"the body goes on past {cap} bytes, more than this file can take"
                        : $"the body goes on past the announced {total} bytes");
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
    }

    /// <summary>Null when the file matches its checksums, else what did not match.</summary>
    internal static string? Verify(RemoteFile file, string path)
    {
        if (file.ArchiveSha256 is not null && file.ContentSha256 is null)
        {
            string found = HashFile(path, decompress: false, long.MaxValue);
            if (!found.Equals(file.ArchiveSha256, StringComparison.OrdinalIgnoreCase))
                return $"SHA-256 of the downloaded bytes: expected {file.ArchiveSha256}, found {found}";
        }
        if (file.ContentSha256 is not null)
        {
            string found;
            try
            {
                found = HashFile(path, decompress: DataFile.IsGzip(path), file.ContentLength is long n ? n + 1 : Latent.Core.IO.InputLimits.MaxInputBytes);
            }
            catch (InvalidDataException e)
            {
                return $"corrupt gzip stream: {e.Message}";
            }
            catch (DatasetFormatException e)
            {
                return e.Detail;
            }
            if (!found.Equals(file.ContentSha256, StringComparison.OrdinalIgnoreCase))
                return $"SHA-256 of the decompressed content: expected {file.ContentSha256}, found {found}";
        }
        return null;
    }

    /// <summary>Lower-case hex SHA-256 of a file, optionally of its gunzipped content (of at most <paramref name="limit"/> bytes).</summary>
    internal static string HashFile(string path, bool decompress, long limit)
    {
        if (!decompress)
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Convert.ToHexStringLower(SHA256.HashData(fs));
        }
        using var s = DataFile.OpenRead(path, limit);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
