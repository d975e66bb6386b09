using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Latent.Data.Tests;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (random port) for download tests: each path maps to a status, a body
/// and optionally a byte count after which the connection is dropped (Content-Length still announces the full body).
/// It stops on dispose, and by itself after one minute at most.
/// </summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromMinutes(1));
    private readonly ConcurrentDictionary<string, (int Status, byte[] Body, int? DropAfter)> _routes = new();
    private readonly Task _loop;

    public LocalHttpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public Uri Base(string prefix) => new($"http://127.0.0.1:{Port}/{prefix.Trim('/')}/");

    public void Serve(string path, byte[] body, int status = 200, int? dropAfter = null) => _routes[path] = (status, body, dropAfter);

    private async Task AcceptLoop()
    {
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_cts.Token);
                _ = Task.Run(() => Handle(client));
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buf = new byte[1];
            while (head.Length < 8192 && !head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(buf, _cts.Token) == 0) return;
                head.Append((char)buf[0]);
            }
            var path = head.ToString().Split(' ')[1];
            Requests.Enqueue(path);
            var (status, body, drop) = _routes.TryGetValue(path, out var r) ? r : (404, Encoding.ASCII.GetBytes("not found"), null);
            var header = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Length: {body.Length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header), _cts.Token);
            await stream.WriteAsync(body.AsMemory(0, drop ?? body.Length), _cts.Token);
            await stream.FlushAsync(_cts.Token);
            if (drop is not null) client.Client.LingerState = new LingerOption(true, 0); // reset instead of a clean close
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _cts.Dispose();
    }
}
