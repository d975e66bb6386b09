using System.Runtime.InteropServices;

namespace Latent.Core.Kernels;

/// <summary>
/// Where the <see cref="WorkerPool"/>'s threads may run, on Linux: a job's workers are kept off the core of the thread
/// that calls it.
/// </summary>
/// <remarks>
/// Why: with one core taken by another process (the conv_loaded benchmark pins a busy loop to core 0), the scheduler
/// woke a worker on the core of the thread that woke it, where it queued behind the caller, while the other core was
/// shared with the busy process. Per-thread scheduler statistics of a two-thread conv epoch over 8 s
/// (<c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat</c>): the caller ran 5.3 s and waited 3.5 s in the run queue, the worker
/// ran 4.2 s and waited 4.0 s, in 11,500 and 13,000 time slices; one thread alone ran 7.9 s in 345 slices. Kept off the
/// caller's core, the caller ran 7.6 s (0.8 s waiting) and the worker 3.9 s on the shared core: a second thread then
/// adds half a core instead of nothing.
/// <para>
/// The other half: a worker on the shared core is preempted inside a part about half the time, and the caller, which has
/// run every other part, sleeps until the busy process's time slice ends; the scheduler does not move the worker to the
/// idle core, which its mask leaves out. So while the caller is left waiting for a worker that joined the job while
/// its core was shared (<see cref="WorkerPool.SpinBudget"/>), it looks every millisecond whether the worker is getting
/// any CPU (<see cref="Stalled"/>, from the worker's thread CPU clock), and if not lets it run on the caller's core only
/// (<see cref="OntoCaller"/>) until the next job places it away again. A worker that is running is left where its
/// caches are. In a two-thread conv epoch with core 0 busy the caller's blocked waits went from 0.95 s to 0.10 s in 120
/// steps when every such worker was moved. (Tried before the worker's poll followed its core, the same move for every
/// worker inside a part made no measurable difference.)
/// </para>
/// <para>
/// Affinity is set with <c>sched_setaffinity</c> from libc (through P/Invoke: .NET can set a thread's affinity only on
/// Windows), within the process's own mask, and only when the caller's core changes. Elsewhere,
/// with more than 1,024 CPUs, or with <c>LATENT_WORKER_PLACEMENT=0</c>, the scheduler places the threads alone.
/// </para>
/// </remarks>
internal static unsafe partial class WorkerPlacement
{
    private const int MaskWords = 16; // 1,024 CPUs

    private static readonly bool Enabled = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 &&
        Environment.GetEnvironmentVariable("LATENT_WORKER_PLACEMENT") != "0";

    // The process's CPUs (read once) and the caller's core the workers were last kept away from. Only touched by the
    // thread that holds the pool.
    private static readonly ulong[] Allowed = new ulong[MaskWords];
    private static int _state; // 0 unread, 1 read, -1 unusable
    private static int _awayFrom = -1;

    /// <summary>The calling thread's OS id (0 where threads are not placed).</summary>
    internal static int CurrentThreadId() => Enabled ? (int)Syscall(SysGettid) : 0;

    /// <summary>Before a job: the first <paramref name="count"/> workers may run on any of the process's CPUs but the caller's.</summary>
    internal static void AwayFromCaller(WorkerPool.Worker[] workers, int count)
    {
        if (!Ready()) return;
        int cpu = GetCpu();
        if (cpu < 0 || cpu >= MaskWords * 64 || cpu == _awayFrom) return;
        ulong* mask = stackalloc ulong[MaskWords];
        bool other = false;
        for (int i = 0; i < MaskWords; i++)
        {
            mask[i] = Allowed[i];
            if (i == cpu / 64) mask[i] &= ~(1UL << (cpu % 64));
            other |= mask[i] != 0;
        }
        if (!other) return; // one CPU: nowhere else to go
        bool all = true;
        for (int w = 0; w < count && w < workers.Length; w++)
        {
            if (workers[w].ThreadId == 0) all = false; // not started yet: placed at a later job
            else SetAffinity(workers[w].ThreadId, MaskWords * sizeof(ulong), mask);
        }
        if (all) _awayFrom = cpu;
    }

    /// <summary>
    /// While the caller waits: <paramref name="worker"/> may run only on the caller's current CPU, which the caller is
    /// about to leave idle; the next job places the worker away from the caller again.
    /// </summary>
    internal static void OntoCaller(WorkerPool.Worker worker)
    {
        if (!Ready() || worker.ThreadId == 0) return;
        int cpu = GetCpu();
        if (cpu < 0 || cpu >= MaskWords * 64 || (Allowed[cpu / 64] & (1UL << (cpu % 64))) == 0) return;
        ulong* mask = stackalloc ulong[MaskWords];
        for (int i = 0; i < MaskWords; i++) mask[i] = 0;
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (SetAffinity(worker.ThreadId, MaskWords * sizeof(ulong), mask) == 0) _awayFrom = -1;
    }

    /// <summary>How long <see cref="Stalled"/> watches a worker's CPU time.</summary>
    internal const int StallWatchMicroseconds = 20;

    /// <summary>
    /// Whether <paramref name="worker"/> got less than a quarter of a CPU over the next <see cref="StallWatchMicroseconds"/>
    /// (its thread CPU clock, which counts a running thread to the nanosecond), watched while
    /// <paramref name="pending"/> is not 0: a worker that is running its part is left where it is (moving it would cost
    /// it its caches), one that is waiting for its core is not.
    /// </summary>
    internal static bool Stalled(WorkerPool.Worker worker, ref int pending)
    {
        if (!Ready() || worker.ThreadId == 0) return false;
        long start = CpuNanoseconds(worker.ThreadId);
        if (start < 0) return false;
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        long watch = StallWatchMicroseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000;
        while (System.Diagnostics.Stopwatch.GetTimestamp() - t0 < watch)
        {
            if (Volatile.Read(ref pending) == 0) return false;
            Thread.SpinWait(20);
        }
        long elapsed = (System.Diagnostics.Stopwatch.GetTimestamp() - t0) * 1_000_000_000 / System.Diagnostics.Stopwatch.Frequency;
        long ran = CpuNanoseconds(worker.ThreadId) - start;
        return Volatile.Read(ref pending) != 0 && ran >= 0 && ran < elapsed / 4;
    }

    /// <summary>A thread's CPU time in nanoseconds (its CLOCK_THREAD_CPUTIME clock, by thread id), or -1.</summary>
    private static long CpuNanoseconds(int tid)
    {
        Timespec ts;
        // The kernel's clock id of a thread's CPU time: ~tid << 3 | CPUCLOCK_PERTHREAD (4) | CPUCLOCK_SCHED (2).
        return ClockGetTime(~tid << 3 | 6, &ts) == 0 ? ts.Seconds * 1_000_000_000 + ts.Nanoseconds : -1;
    }

    private struct Timespec
    {
        public long Seconds, Nanoseconds;
    }

    /// <summary>Whether threads are placed here (reads the process's CPU mask the first time).</summary>
    private static bool Ready()
    {
        if (!Enabled || _state < 0) return false;
        if (_state == 0)
        {
            // The process's (its main thread's) mask, not the calling thread's, which the program may have pinned.
            fixed (ulong* mask = Allowed)
                _state = GetAffinity(Environment.ProcessId, MaskWords * sizeof(ulong), mask) == 0 ? 1 : -1;
        }
        return _state > 0;
    }

    private const long SysGettid = 186; // x86-64

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number);

    [LibraryImport("libc", EntryPoint = "sched_getcpu")]
    private static partial int GetCpu();

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static partial int SetAffinity(int pid, nint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, Timespec* time);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity")]
    private static partial int GetAffinity(int pid, nint size, ulong* mask);
}
