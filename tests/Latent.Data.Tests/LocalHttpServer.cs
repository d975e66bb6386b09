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
    private readonly ConcurrentDictionary<string, Mode> _modes = new();

    /// <summary>How a route misbehaves: sends part of the body then goes silent, or sends bytes without end and without a length.</summary>
    public enum Mode { Stall, Endless }
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

    /// <summary>Serves <paramref name="body"/> as announced, but <see cref="Mode.Stall"/>: stops after half of it and waits;
    /// <see cref="Mode.Endless"/>: no Content-Length, the body repeated until the client goes away.</summary>
    public void Misbehave(string path, byte[] body, Mode mode)
    {
        _routes[path] = (200, body, null);
        _modes[path] = mode;
    }

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
            if (_modes.TryGetValue(path, out var mode))
            {
                try
                {
                    if (mode == Mode.Stall)
                    {
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), _cts.Token);
                        await stream.WriteAsync(body.AsMemory(0, body.Length / 2), _cts.Token);
                        await stream.FlushAsync(_cts.Token);
                        await Task.Delay(Timeout.Infinite, _cts.Token);
                    }
                    else
                    {
                        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"), _cts.Token);
                        while (true) await stream.WriteAsync(body, _cts.Token);
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
                return;
            }
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
