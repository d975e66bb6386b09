using System.Security.Cryptography;
using Latent.Data.Download;

namespace Latent.Data.Tests.Download;

public class DownloaderTests
{
    private static byte[] Payload(int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(i * 31 % 251);
        return b;
    }

    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    private sealed class Recorder : IProgress<(long Done, long? Total, string File)>
    {
        public List<(long Done, long? Total, string File)> Reports { get; } = [];
        public void Report((long Done, long? Total, string File) value) { lock (Reports) Reports.Add(value); }
    }

    [Fact]
    public void Downloads_verifies_decompressed_content_and_reports_progress()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var content = Payload(600_000);
        var gz = TestFiles.Gzip(content);
        server.Serve("/m1/f.gz", gz);
        var progress = new Recorder();

        var path = new Downloader().Fetch(new RemoteFile("f.gz", Sha(content)), [server.Base("m1")], cache.Path, progress);

        Assert.Equal(cache.File("f.gz"), path);
        Assert.Equal(gz, File.ReadAllBytes(path));
        Assert.Equal((gz.Length, (long?)gz.Length, "f.gz"), progress.Reports[^1]);
        Assert.True(progress.Reports.Count >= 2);
        Assert.Equal([cache.File("f.gz")], Directory.GetFiles(cache.Path));
    }

    [Fact]
    public void A_cached_file_is_not_downloaded_again()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        File.WriteAllBytes(cache.File("f"), [1, 2, 3]);
        var path = new Downloader().Fetch(new RemoteFile("f", Sha([1, 2, 3])), [server.Base("m1")], cache.Path);
        Assert.Equal(cache.File("f"), path);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void First_mirror_404_falls_back_to_the_second()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var content = Payload(1000);
        server.Serve("/good/f", content);

        var path = new Downloader().Fetch(new RemoteFile("f", Sha(content)), [server.Base("bad"), server.Base("good")], cache.Path);

        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.Equal(["/bad/f", "/good/f"], server.Requests.ToArray());
    }

    [Fact]
    public void Checksum_mismatch_fails_and_leaves_the_cache_empty()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var content = Payload(5000);
        server.Serve("/m/f.gz", TestFiles.Gzip(content));
        var wrong = Sha(Payload(4999));

        var e = Assert.Throws<DatasetDownloadException>(() =>
            new Downloader().Fetch(new RemoteFile("f.gz", wrong), [server.Base("m")], cache.Path));

        Assert.Contains("SHA-256 of the decompressed content", e.Message);
        Assert.Contains(wrong, e.Message);
        Assert.Contains(Sha(content), e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public void Archive_checksum_is_used_when_the_content_checksum_is_unknown()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var gz = TestFiles.Gzip(Payload(3000));
        server.Serve("/m/f.gz", gz);
        var e = Assert.Throws<DatasetDownloadException>(() =>
            new Downloader().Fetch(new RemoteFile("f.gz", null, Sha([1])), [server.Base("m")], cache.Path));
        Assert.Contains("SHA-256 of the downloaded bytes", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));

        var path = new Downloader().Fetch(new RemoteFile("f.gz", null, Sha(gz)), [server.Base("m")], cache.Path);
        Assert.Equal(gz, File.ReadAllBytes(path));
    }

    [Fact]
    public void Server_dropping_mid_file_is_an_error_and_leaves_nothing()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var content = Payload(200_000);
        server.Serve("/m/f", content, dropAfter: 50_000);

        var e = Assert.Throws<DatasetDownloadException>(() =>
            new Downloader().Fetch(new RemoteFile("f", Sha(content)), [server.Base("m")], cache.Path));

        Assert.Contains(server.Base("m") + "f", e.Message);
        Assert.DoesNotContain("SHA-256", e.Message); // failed in transfer, not at verification
        Assert.DoesNotContain("HTTP 4", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public void Server_dropping_mid_file_moves_on_to_the_next_mirror()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var content = Payload(200_000);
        server.Serve("/a/f", content, dropAfter: 10_000);
        server.Serve("/b/f", content);
        var path = new Downloader().Fetch(new RemoteFile("f", Sha(content)), [server.Base("a"), server.Base("b")], cache.Path);
        Assert.Equal(content, File.ReadAllBytes(path));
    }
}
