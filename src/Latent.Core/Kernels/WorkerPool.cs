using System.Runtime.ExceptionServices;

namespace Latent.Core.Kernels;

/// <summary>
/// A few long-lived background threads that share the parts of one kernel call, without allocating per call
/// (<c>Parallel.For</c> allocates closures and tasks). A job is a static function pointer plus a pointer to
/// a context struct on the caller's stack.
/// </summary>
/// <remarks>
/// Parts are claimed, not assigned: the caller and every woken worker take the next unclaimed part until
/// none is left, and the caller returns once every part has finished. A worker that the OS schedules late
/// (the machine is busy) therefore costs nothing: the caller runs its part too. Callers must not rely on
/// which thread runs a part. One job runs at a time; a call that finds the pool busy (another thread's
/// kernel, or a kernel called from inside a job) runs all its parts itself, in order.
/// <para>
/// A claim is a compare-and-swap on (generation, next part). A late worker still holding an old generation
/// can never claim, so it never reads the context of a job whose caller has returned; and a job cannot
/// finish while a claimed part is running, so the job fields are stable for whoever holds a claim.
/// </para>
/// </remarks>
internal static unsafe class WorkerPool
{
    private static int _busy;
    private static Worker[] _workers = [];
    private static readonly object GrowLock = new();
    // The caller's wait for the last part: a spin, then Monitor.Wait on a preallocated object (a
    // ManualResetEventSlim allocates its lock object the first time it blocks, inside some later call).
    private static readonly object DoneLock = new();

    private static long _state; // generation << 32 | next unclaimed part
    private static int _parts;
    private static int _pending; // parts not yet finished
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
            _parts = parts;
            _pending = parts;
            _error = null;
            long generation = (Volatile.Read(ref _state) >> 32) + 1;
            Volatile.Write(ref _state, generation << 32); // publishes the job: part 0 is next
            for (int w = 0; w < parts - 1; w++) workers[w].Start.Set();
            Work(generation);
            WaitAllDone();
            _fn = null;
            _ctx = null;
            _error?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and runs parts of job <paramref name="generation"/> until none is left.</summary>
    private static void Work(long generation)
    {
        while (true)
        {
            long s = Volatile.Read(ref _state);
            if (s >> 32 != generation) return;
            int part = (int)s;
            if (part >= Volatile.Read(ref _parts)) return;
            if (Interlocked.CompareExchange(ref _state, s + 1, s) != s) continue;
            try
            {
                _fn(_ctx, part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }
            if (Interlocked.Decrement(ref _pending) == 0)
                lock (DoneLock) Monitor.PulseAll(DoneLock);
        }
    }

    private static void WaitAllDone()
    {
        var spinner = new SpinWait();
        for (int i = 0; i < 100 && Volatile.Read(ref _pending) != 0; i++) spinner.SpinOnce(sleep1Threshold: -1);
        if (Volatile.Read(ref _pending) == 0) return;
        // Checked under the lock that the last finisher pulses under, so the wake-up cannot be missed.
        lock (DoneLock)
            while (Volatile.Read(ref _pending) != 0) Monitor.Wait(DoneLock);
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

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Latent worker {index}" };
            thread.Start();
        }

        private void Loop()
        {
            while (true)
            {
                Start.Wait();
                Start.Reset();
                Work(Volatile.Read(ref _state) >> 32);
            }
        }
    }
}
