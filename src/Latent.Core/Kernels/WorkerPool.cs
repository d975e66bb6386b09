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
/// finish while a claimed part is running, so the job fields are stable for whoever holds a claim. Before it
/// writes a new job's fields the caller closes the state (new generation, no part claimable): otherwise a late
/// worker holding the old generation could read the new, larger part count and claim a part past the old
/// job's end, running it with half-written fields and miscounting the new job's pending parts.
/// </para>
/// <para>
/// Waiting: after a job a worker polls the state for a new generation (pause instructions, no yields: kernel calls
/// of a training step follow each other within tens of microseconds), then blocks on its event until the next job
/// sets it. It never sleeps in between: a <see cref="ManualResetEventSlim"/> with a long spin count falls back to
/// <c>Thread.Sleep(1)</c> while it spins, which left the worker a millisecond late for most jobs (the caller then ran
/// every part itself) while the yields kept its core busy. The poll lasts <see cref="SpinMicroseconds"/> while the
/// worker has its core to itself, long enough to bridge the gaps between a step's kernels (with a 20 µs poll the
/// caller ran about one job in seven of the conv epoch alone, the worker still waking), and
/// <see cref="SharedSpinMicroseconds"/> for a while after the worker finds its core shared (<see cref="SpinBudget"/>):
/// a worker that polls on a core another thread wants uses up its share of it, and is then preempted in the middle of
/// the parts the caller waits for. Only as many workers as <see cref="Parallelism.MaxDegree"/> allows are woken,
/// whatever the number of parts: parts beyond the thread count are claimed by whoever is free.
/// </para>
/// <para>
/// Placement: on Linux the workers of a job may run on every CPU of the process but the caller's
/// (<see cref="WorkerPlacement"/>), so that a woken worker does not queue behind its caller while another core is free
/// or shared; and a caller left waiting for a worker whose core is shared lets that worker onto its own core while it
/// sleeps, instead of waiting for the other thread's time slice to end.
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

    /// <summary>How long a worker polls for the next job before it blocks while its core is its own (docs/BENCHMARKS.md).</summary>
    internal const int SpinMicroseconds = 1000;

    /// <summary>How long it polls while its core is shared with another thread (<see cref="SpinBudget"/>).</summary>
    internal const int SharedSpinMicroseconds = 20;

    /// <summary>
    /// A poll that finds the clock this much later than its last look was preempted: the core is shared. Another
    /// process's time slice is milliseconds; at the 50 µs this was before, the virtual machine's own hiccups (50-300 µs)
    /// marked an idle machine's cores shared.
    /// </summary>
    internal const int PreemptedMicroseconds = 500;

    /// <summary>How long a worker keeps the short poll after it was first found preempted; it doubles while that recurs.</summary>
    internal const int SharedHoldMilliseconds = 100;

    /// <summary>The longest hold of the short poll (the core is looked at again this often at least).</summary>
    internal const int MaxSharedHoldMilliseconds = 10_000;

    /// <summary>How often a waiting caller looks whether a worker on a shared core is getting any CPU.</summary>
    internal const int WatchMilliseconds = 1;

    private static long _state; // generation << 32 | next unclaimed part
    private static int _parts;
    private static int _pending; // parts not yet finished
    private static delegate*<void*, int, void> _fn;
    private static void* _ctx;
    private static ExceptionDispatchInfo? _error;

    // Set while this thread runs a part of a job: a kernel called from inside a part runs on this thread alone.
    [ThreadStatic] private static bool t_inPart;

    /// <summary>
    /// Whether this thread is running a part of a pool job: kernels then run undivided on it (the pool is taken, and
    /// splitting would only repeat their packing), as the convolution's per-chunk parts want.
    /// </summary>
    internal static bool InPart => t_inPart;

    /// <summary>Runs <paramref name="fn"/>(ctx, part) for part in [0, parts); returns when all have finished.</summary>
    public static void Run(delegate*<void*, int, void> fn, void* ctx, int parts)
    {
        if (parts <= 1 || t_inPart || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int p = 0; p < parts; p++) fn(ctx, p);
            return;
        }
        try
        {
            int helpers = Math.Min(parts, Parallelism.MaxDegree) - 1;
            var workers = EnsureWorkers(helpers);
            WorkerPlacement.AwayFromCaller(workers, helpers);
            long generation = (Volatile.Read(ref _state) >> 32) + 1;
            // Closed: the new generation with no claimable part, so no late worker of the last job can claim while
            // the fields change (a full fence: the field writes below cannot move before it).
            Interlocked.Exchange(ref _state, generation << 32 | int.MaxValue);
            _fn = fn;
            _ctx = ctx;
            _parts = parts;
            _pending = parts;
            _error = null;
            Volatile.Write(ref _state, generation << 32); // publishes the job: part 0 is next
            for (int w = 0; w < helpers; w++) workers[w].Start.Set();
            Work(generation);
            WaitAllDone(workers, helpers);
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
            t_inPart = true;
            try
            {
                _fn(_ctx, part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                t_inPart = false;
            }
            if (Interlocked.Decrement(ref _pending) == 0)
                lock (DoneLock) Monitor.PulseAll(DoneLock);
        }
    }

    private static void WaitAllDone(Worker[] workers, int helpers)
    {
        var spinner = new SpinWait();
        for (int i = 0; i < 100 && Volatile.Read(ref _pending) != 0; i++) spinner.SpinOnce(sleep1Threshold: -1);
        if (Volatile.Read(ref _pending) == 0) return;
        // The caller has no part left and is about to leave its core idle, while a worker still runs one. A worker that
        // shares its core with another thread may be preempted inside that part: it would only go on when the other
        // thread's time slice ends (milliseconds), and the scheduler does not move it to the idle core, which is
        // outside its CPU mask. While such a worker is in the job, the caller looks every WatchMilliseconds whether it
        // is getting any CPU, and if not lets it onto the caller's core (it is placed away again at the next job); a
        // worker that is running is left where its caches are.
        while (true)
        {
            bool watch = false;
            for (int w = 0; w < helpers; w++)
            {
                if (!workers[w].InPartOnSharedCore) continue;
                watch = true;
                if (WorkerPlacement.Stalled(workers[w], ref _pending)) WorkerPlacement.OntoCaller(workers[w]);
            }
            // Checked under the lock that the last finisher pulses under, so the wake-up cannot be missed.
            lock (DoneLock)
            {
                if (!watch)
                {
                    while (Volatile.Read(ref _pending) != 0) Monitor.Wait(DoneLock);
                    return;
                }
                if (Volatile.Read(ref _pending) == 0) return;
                Monitor.Wait(DoneLock, WatchMilliseconds);
                if (Volatile.Read(ref _pending) == 0) return;
            }
        }
    }

    /// <summary>Whether a job other than generation <paramref name="seen"/> is published (not closed for writing).</summary>
    private static bool NewJob(long seen)
    {
        long s = Volatile.Read(ref _state);
        return s >> 32 != seen && (int)s != int.MaxValue;
    }

    /// <summary>The workers started so far (for tests).</summary>
    internal static Worker[] Workers => _workers;

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

    internal sealed class Worker
    {
        // Set by a caller after it publishes a job; spin count 1: the poll in Loop does the spinning.
        public readonly ManualResetEventSlim Start = new(false, spinCount: 1);

        /// <summary>The worker's OS thread id for <see cref="WorkerPlacement"/> (0 where it does not place threads).</summary>
        public volatile int ThreadId;

        // Set while the worker runs parts of a job it joined while its polls found its core shared (SpinBudget).
        private volatile bool _inPartOnSharedCore;

        /// <summary>Whether the worker is running parts of a job it joined while its core was found shared.</summary>
        public bool InPartOnSharedCore => _inPartOnSharedCore;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Latent worker {index}" };
            thread.Start();
        }

        private void Loop()
        {
            ThreadId = WorkerPlacement.CurrentThreadId();
            long seen = 0; // the last generation this worker joined
            long micro = Math.Max(1, System.Diagnostics.Stopwatch.Frequency / 1_000_000);
            long spinTicks = SpinMicroseconds * micro, sharedSpinTicks = SharedSpinMicroseconds * micro;
            long preemptedTicks = PreemptedMicroseconds * micro;
            long minHold = SharedHoldMilliseconds * 1000 * micro, maxHold = MaxSharedHoldMilliseconds * 1000 * micro;
            var budget = new SpinBudget();
            while (true)
            {
                if (!NewJob(seen))
                {
                    long now = System.Diagnostics.Stopwatch.GetTimestamp(), last = now;
                    long deadline = now + (budget.Shared(now) ? sharedSpinTicks : spinTicks);
                    int collections = GC.CollectionCount(0);
                    while (!NewJob(seen) && now < deadline)
                    {
                        Thread.SpinWait(20);
                        now = System.Diagnostics.Stopwatch.GetTimestamp();
                        if (now - last > preemptedTicks)
                        {
                            // A garbage collection stops every managed thread, the poll included: that gap says
                            // nothing about the core (a training step collects every few steps, so counting it
                            // kept the worker on the short poll in a quiet machine).
                            int after = GC.CollectionCount(0);
                            if (after != collections)
                            {
                                collections = after;
                                deadline += now - last;
                                last = now;
                                continue;
                            }
                            budget.Preempted(now, minHold, maxHold);
                            break;
                        }
                        last = now;
                    }
                }
                while (!NewJob(seen))
                {
                    // Reset, then look again: a job published before the reset is seen by the second look, one
                    // published after it sets the event again, so no wake-up is lost. Reset is an interlocked
                    // update, which orders it before the read.
                    Start.Reset();
                    if (!NewJob(seen)) Start.Wait();
                }
                seen = Volatile.Read(ref _state) >> 32;
                _inPartOnSharedCore = budget.Shared(System.Diagnostics.Stopwatch.GetTimestamp());
                Work(seen);
                _inPartOnSharedCore = false;
            }
        }
    }

    /// <summary>
    /// Whether a worker's core is shared, from what its polls saw: after a poll found itself preempted (the clock jumped
    /// by more than <see cref="PreemptedMicroseconds"/> between two looks), the worker polls only
    /// <see cref="SharedSpinMicroseconds"/> for a hold, so that a thread that wants the core gets it while the worker
    /// waits, and the worker keeps its share for the parts. The hold starts at <see cref="SharedHoldMilliseconds"/>
    /// and doubles, up to <see cref="MaxSharedHoldMilliseconds"/>, each time the worker is found preempted again within a
    /// hold of the last hold's end (the long poll that looks again at the core is itself what the other thread
    /// preempts); when the core has been its own for a hold it starts again at the shortest.
    /// </summary>
    internal struct SpinBudget
    {
        private long _sharedUntil, _hold;

        /// <summary>Whether at <paramref name="now"/> the worker keeps the short poll.</summary>
        public readonly bool Shared(long now) => now < _sharedUntil;

        /// <summary>A poll found itself preempted at <paramref name="now"/> (timestamps in any unit, holds in the same).</summary>
        public void Preempted(long now, long minHold, long maxHold)
        {
            _hold = _hold > 0 && now - _sharedUntil < _hold ? Math.Min(2 * _hold, maxHold) : minHold;
            _sharedUntil = now + _hold;
        }
    }
}
