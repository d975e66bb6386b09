using System.Security.Cryptography;
using Latent.Data.Download;

namespace Latent.Data.Tests.Download;

public class DownloaderHardeningTests
{
    private static byte[] Payload(int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(i * 31 % 251);
        return b;
    }

    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    [Fact]
    public void A_stalled_body_times_out_and_leaves_nothing()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var content = Payload(100_000);
        server.Misbehave("/m/f", content, LocalHttpServer.Mode.Stall);
        var e = Assert.Throws<DatasetDownloadException>(() =>
            new Downloader { ReadTimeout = TimeSpan.FromMilliseconds(500) }.Fetch(new RemoteFile("f", Sha(content)), [server.Base("m")], cache.Path));
        Assert.Contains("stalled", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public void An_endless_body_is_cut_at_the_size_cap()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var chunk = Payload(65_536);
        server.Misbehave("/m/f", chunk, LocalHttpServer.Mode.Endless);
        var file = new RemoteFile("f", Sha(chunk), null, ContentLength: 100_000);
        var e = Assert.Throws<DatasetDownloadException>(() => new Downloader().Fetch(file, [server.Base("m")], cache.Path));
        Assert.Contains($"past {file.MaxDownloadBytes} bytes", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public void A_server_error_is_reported_per_mirror()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        server.Serve("/m/f", [1, 2, 3], status: 500);
        var e = Assert.Throws<DatasetDownloadException>(() => new Downloader().Fetch(new RemoteFile("f", Sha([1, 2, 3])), [server.Base("m")], cache.Path));
        Assert.Contains("HTTP 500", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    [Fact]
    public void A_corrupt_cached_file_is_downloaded_again()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var content = Payload(3000);
        server.Serve("/m/f", content);
        File.WriteAllBytes(cache.File("f"), Payload(2999));
        var path = new Downloader().Fetch(new RemoteFile("f", Sha(content)), [server.Base("m")], cache.Path);
        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.Equal(["/m/f"], server.Requests.ToArray());
    }

    [Fact]
    public void Parts_left_by_a_dead_process_are_removed_and_live_ones_kept()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDir();
        var content = Payload(3000);
        server.Serve("/m/f", content);
        // Process ids above the kernel's pid_max (4194304 at most) never run.
        var dead = cache.File($".f.{int.MaxValue - 1}.0123.part");
        var live = cache.File($".f.{Environment.ProcessId}.4567.part");
        File.WriteAllBytes(dead, [1]);
        File.WriteAllBytes(live, [2]);
        new Downloader().Fetch(new RemoteFile("f", Sha(content)), [server.Base("m")], cache.Path);
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
    }

    [Fact]
    public void Downloads_are_allowed_by_the_environment_variable_or_the_flow_switch()
    {
        Assert.False(new Latent.Data.Named.DataOptions { GetEnvironmentVariable = _ => null }.DownloadsAllowed());
        Assert.True(new Latent.Data.Named.DataOptions { GetEnvironmentVariable = n => n == "LATENT_DOWNLOAD" ? "1" : null }.DownloadsAllowed());
        Assert.False(new Latent.Data.Named.DataOptions { GetEnvironmentVariable = n => n == "LATENT_DOWNLOAD" ? "0" : null }.DownloadsAllowed());
        Latent.Data.Named.DataOptions.AllowDownloadInCurrentFlow = true;
        try
        {
            Assert.True(new Latent.Data.Named.DataOptions { GetEnvironmentVariable = _ => null }.DownloadsAllowed());
        }
        finally
        {
            Latent.Data.Named.DataOptions.AllowDownloadInCurrentFlow = false;
        }
    }
}
