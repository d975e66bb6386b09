using System.Text.Json;
using Latent.Cli.Serve;

namespace Latent.Cli.Tests.Serve;

/// <summary>The dashboard's API over real run folders (in-process, a free port on 127.0.0.1), and the event file reader.</summary>
public sealed class DashboardServerTests
{
    [Fact]
    public async Task Lists_runs_and_serves_their_history_pictures_and_details_read_only()
    {
        string root = CliRunner.TempDir();
        Assert.Equal(0, CliRunner.Run(CliRunner.TinyTrain(Path.Combine(root, "a"))).Code);
        Assert.Equal(0, CliRunner.Run("train", "--from", Path.Combine(root, "a"), "--epochs", "3", "--out", Path.Combine(root, "b"), "--quiet", "--no-report").Code);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(root, "a", "events.jsonl")).Count(l => l.Contains("\"type\":\"epoch\"", StringComparison.Ordinal)));

        await using var server = await DashboardServer.StartAsync(root, "127.0.0.1", 0, CancellationToken.None);
        Assert.StartsWith("http://127.0.0.1:", server.Url);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        Assert.Equal(["a", "b"], JsonSerializer.Deserialize<string[]>(await http.GetStringAsync("api/runs"))!);
        using var history = JsonDocument.Parse(await http.GetStringAsync("api/runs/b/history"));
        Assert.Equal(3, history.RootElement.GetArrayLength());
        Assert.Equal(0.001, history.RootElement[0].GetProperty("lr").GetDouble());
        var pictures = JsonSerializer.Deserialize<string[]>(await http.GetStringAsync("api/runs/a/pictures"))!;
        Assert.Contains("reconstructions.png", pictures);
        var png = await http.GetAsync("api/runs/a/files/reconstructions.png");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0x89, (await png.Content.ReadAsByteArrayAsync())[0]);
        Assert.Contains("lr: 0.001", await http.GetStringAsync("api/runs/a/details"), StringComparison.Ordinal);
        Assert.Contains("uPlot", await http.GetStringAsync("assets/uPlot.iife.min.js"), StringComparison.Ordinal);
        Assert.Contains("app.js", await http.GetStringAsync(""), StringComparison.Ordinal);
        // Only pictures of known runs: no model files, no paths out of the root.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("api/runs/a/files/model.safetensors")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("api/runs/a/files/..%2Fb%2Fcodes.svg")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("api/runs/..%2F..%2Ftmp/history")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, (await http.PostAsync("api/runs", null)).StatusCode);
    }

    [Fact]
    public void A_reader_polling_mid_write_skips_the_partial_last_line()
    {
        string path = Path.Combine(CliRunner.TempDir(), "events.jsonl");
        File.WriteAllText(path, "{\"epoch\":1}\n{\"epoch\":2}\n{\"epo");
        var lines = RunFolders.CompleteLines(path, 0, out long next);
        Assert.Equal(["{\"epoch\":1}", "{\"epoch\":2}"], lines);
        File.AppendAllText(path, "ch\":3}\n");
        Assert.Equal(["{\"epoch\":3}"], RunFolders.CompleteLines(path, next, out long end));
        Assert.Equal(new FileInfo(path).Length, end);
        Assert.Empty(RunFolders.CompleteLines(path, end, out _));
    }

    [Fact]
    public async Task The_event_stream_sends_each_new_complete_line()
    {
        string root = CliRunner.TempDir(), run = Path.Combine(root, "live");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "events.jsonl"), "{\"type\":\"epoch\",\"stage\":null,\"epoch\":1}\n{\"type\":\"ep");
        await using var server = await DashboardServer.StartAsync(root, "127.0.0.1", 0, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync("api/runs/live/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        async Task<string> NextData() { while (true) { var l = await reader.ReadLineAsync() ?? throw new EndOfStreamException(); if (l.StartsWith("data: ", StringComparison.Ordinal)) return l[6..]; } }
        Assert.Contains("\"epoch\":1", await NextData(), StringComparison.Ordinal);
        File.AppendAllText(Path.Combine(run, "events.jsonl"), "och\",\"stage\":null,\"epoch\":2}\n");
        Assert.Contains("\"epoch\":2", await NextData(), StringComparison.Ordinal);
    }
}
