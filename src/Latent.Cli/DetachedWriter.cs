using System.Diagnostics;
using System.Text;

namespace Latent.Cli;

/// <summary>
/// A writer whose callers never wait for the output: text is queued and a background thread writes it to the inner
/// writer. A rank started by mpirun writes into a pipe (or pty) that mpirun drains; Open MPI's mpirun stops draining it
/// while it ends a job — on Ctrl+C its event loop sleeps odls_base_sigkill_timeout seconds before the SIGTERM and again
/// before the SIGKILL — and a rank blocked on a full pipe in the middle of a step would keep every rank from reaching the
/// step where the stop request raised by SIGTERM is agreed. Past <see cref="MaxPendingChars"/> queued characters new text
/// is dropped (and counted in <see cref="Dropped"/>) instead of waited for. <see cref="Drain"/> waits, with a limit.
/// </summary>
internal sealed class DetachedWriter : TextWriter
{
    /// <summary>Characters that may wait in the queue (1 Mi): far more than a run prints between two reads of its pipe.</summary>
    public const int MaxPendingChars = 1 << 20;

    private readonly TextWriter _inner;
    private readonly Queue<string> _queue = new();
    private readonly object _lock = new();
    private long _pending, _dropped;
    private bool _closed;

    public DetachedWriter(TextWriter inner)
    {
        _inner = inner;
        new Thread(Run) { IsBackground = true, Name = "latent output" }.Start();
    }

    public override Encoding Encoding => _inner.Encoding;

    /// <summary>Characters dropped because the queue was full.</summary>
    public long Dropped
    {
        get { lock (_lock) return _dropped; }
    }

    public override void Write(char value) => Enqueue(value.ToString());

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value)) Enqueue(value);
    }

    public override void Write(char[] buffer, int index, int count) => Enqueue(new string(buffer, index, count));

    /// <summary>Never waits: the background thread flushes after every piece it writes (<see cref="Drain"/> waits).</summary>
    public override void Flush() { }

    /// <summary>Waits until everything queued has been written, at most <paramref name="timeout"/>; false when time ran out.</summary>
    public bool Drain(TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            while (_queue.Count > 0)
            {
                var left = timeout - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero) return false;
                Monitor.Wait(_lock, left);
            }
            return true;
        }
    }

    /// <summary>Writes what is queued, waiting at most 2 s for it (the process is about to end), then stops the thread.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) Drain(TimeSpan.FromSeconds(2));
        if (disposing)
            lock (_lock)
            {
                _closed = true;
                Monitor.PulseAll(_lock);
            }
        base.Dispose(disposing);
    }

    private void Enqueue(string text)
    {
        lock (_lock)
        {
            if (_closed) throw new ObjectDisposedException(nameof(DetachedWriter));
            if (_pending + text.Length > MaxPendingChars)
            {
                _dropped += text.Length;
                return;
            }
            _queue.Enqueue(text);
            _pending += text.Length;
            Monitor.PulseAll(_lock);
        }
    }

    private void Run()
    {
        while (true)
        {
            string text;
            lock (_lock)
            {
                while (_queue.Count == 0)
                {
                    if (_closed) return;
                    Monitor.Wait(_lock);
                }
                text = _queue.Peek();
            }
            _inner.Write(text); // may block for as long as nobody reads the pipe: only this thread waits
            _inner.Flush();
            lock (_lock)
            {
                _queue.Dequeue();
                _pending -= text.Length;
                Monitor.PulseAll(_lock);
            }
        }
    }
}
