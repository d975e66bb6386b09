using System.Runtime.ExceptionServices;

namespace Latent.Core.Kernels;

/// <summary>
/// A few long-lived background threads that run the parts of one kernel call, without allocating per call
/// (<c>Parallel.For</c> allocates closures and tasks). A job is a static function pointer plus a pointer to
/// a context struct on the caller's stack; the caller runs part 0 itself and waits for the others.
/// </summary>
/// <remarks>
/// One job runs at a time. A call that finds the pool busy (another thread's kernel, or a kernel called from
/// inside a job) runs all its parts itself, in order: callers must not rely on how many threads ran.
/// </remarks>
internal static unsafe class WorkerPool
{
    private static int _busy;
    private static Worker[] _workers = [];
    private static readonly object GrowLock = new();
    private static CountdownEvent _done = new(0);

    private static delegate*<void*, int, void> _fn;
    private static void* _ctx;
    private static ExceptionDispatchInfo? _error;

    /// <summary>Runs <paramref name="fn"/>(ctx, part) for part in [0, parts); returns when all have finished.</summary>
    public static void Run(delegate*<void*, int, void> fn, void* ctx, int parts)
    {
        if (parts <= 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int p = 0; p < parts; p++) fn(ctx, p);
            return;
        }
        try
        {
            var workers = EnsureWorkers(parts - 1);
            _fn = fn;
            _ctx = ctx;
            _error = null;
            _done.Reset(parts - 1);
            for (int w = 0; w < parts - 1; w++) workers[w].Start.Set();
            try
            {
                fn(ctx, 0);
            }
            finally
            {
                _done.Wait();
                _fn = null;
                _ctx = null;
            }
            _error?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private static Worker[] EnsureWorkers(int count)
    {
        if (_workers.Length >= count) return _workers;
        lock (GrowLock)
        {
            if (_workers.Length >= count) return _workers;
            var grown = new Worker[count];
            Array.Copy(_workers, grown, _workers.Length);
            for (int w = _workers.Length; w < count; w++) grown[w] = new Worker(w + 1);
            _workers = grown;
            return grown;
        }
    }

    private sealed class Worker
    {
        public readonly ManualResetEventSlim Start = new(false, spinCount: 2000);
        private readonly int _part;

        public Worker(int part)
        {
            _part = part;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Latent worker {part}" };
            thread.Start();
        }

        private void Loop()
        {
            while (true)
            {
                Start.Wait();
                Start.Reset();
                try
                {
                    _fn(_ctx, _part);
                }
                catch (Exception e)
                {
                    _error = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    _done.Signal();
                }
            }
        }
    }
}
