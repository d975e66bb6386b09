using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

/// <summary>
/// The kernel worker pool: every part of every job runs exactly once and before <c>Run</c> returns, also when
/// consecutive jobs have different part counts (a late worker of a smaller job must not claim a part of the next,
/// larger one). In the threading collection (it changes MaxDegree).
/// </summary>
[Collection(nameof(GemmThreadingCollection))]
public unsafe class WorkerPoolTests
{
    private struct Counts
    {
        public int* Runs;
    }

    private static void CountPart(void* ctx, int part)
    {
        Interlocked.Increment(ref ((Counts*)ctx)->Runs[part]);
        Thread.SpinWait(part * 8); // uneven parts, so workers are often mid-claim when the next job starts
    }

    [Fact]
    public void EveryPartRunsOnceAcrossJobsOfChangingSize()
    {
        int saved = Parallelism.MaxDegree;
        int[] sizes = [2, 7, 3, 16, 2, 5];
        string? failure = null;
        var thread = new Thread(() =>
        {
            var runs = new int[16];
            fixed (int* pr = runs)
            {
                var counts = new Counts { Runs = pr };
                for (int job = 0; job < 100_000 && failure is null; job++)
                {
                    int parts = sizes[job % sizes.Length];
                    WorkerPool.Run(&CountPart, &counts, parts);
                    for (int p = 0; p < runs.Length; p++)
                    {
                        int expected = p < parts ? 1 : 0;
                        if (Volatile.Read(ref runs[p]) != expected)
                            failure = $"job {job} ({parts} parts): part {p} ran {runs[p]} times, expected {expected}";
                        runs[p] = 0;
                    }
                }
            }
        });
        try
        {
            Parallelism.MaxDegree = 2;
            thread.Start();
            Assert.True(thread.Join(TimeSpan.FromMinutes(1)), "WorkerPool.Run did not return within a minute (a part never finished or was counted twice)");
            Assert.Null(failure);
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }

    private static void Nothing(void* ctx, int part) => Thread.SpinWait(1000);

    /// <summary>The CPUs a thread may run on, from /proc (Linux).</summary>
    private static int[] AllowedCpus(string taskDir)
    {
        string line = File.ReadAllLines(Path.Combine(taskDir, "status")).First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        return line["Cpus_allowed_list:".Length..].Trim().Split(',')
            .SelectMany(r => r.Split('-') is [var a, var b] ? Enumerable.Range(int.Parse(a), int.Parse(b) - int.Parse(a) + 1) : [int.Parse(r)])
            .ToArray();
    }

    /// <summary>
    /// Runs <paramref name="body"/> (given the worker's /proc task folder) on a new thread pinned to the process's first
    /// CPU, after 50 two-part jobs from it with MaxDegree 2; returns the process's CPUs (fewer than 2: nothing ran).
    /// </summary>
    private static int[] OnPinnedCaller(Action<string> body)
    {
        int saved = Parallelism.MaxDegree;
        int[] process = [];
        var thread = new Thread(() =>
        {
            process = AllowedCpus("/proc/self");
            if (process.Length < 2) return; // one CPU: nowhere else to go
            // The caller stays on one CPU, so each job sees the caller where the last one did.
            var mask = new ulong[16];
            mask[process[0] / 64] = 1UL << (process[0] % 64);
            fixed (ulong* m = mask) Assert.Equal(0, SetAffinity(0, 16 * sizeof(ulong), m));
            Parallelism.MaxDegree = 2;
            for (int job = 0; job < 50; job++) WorkerPool.Run(&Nothing, null, 2);
            body(Directory.GetDirectories("/proc/self/task").First(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == "Latent worker 1"));
        });
        try
        {
            thread.Start();
            thread.Join();
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
        return process;
    }

    [Fact]
    public void OnLinuxAWorkerMayRunOnEveryCpuButOne()
    {
        // The pool keeps its workers off the caller's core (WorkerPlacement): the worker's mask lacks exactly the caller's CPU.
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("LATENT_WORKER_PLACEMENT") == "0") return;
        int[] worker = [];
        int[] process = OnPinnedCaller(dir => worker = AllowedCpus(dir));
        if (process.Length < 2) return;
        Assert.Equal(process.Length - 1, worker.Length);
        Assert.Subset(process.ToHashSet(), worker.ToHashSet());
        Assert.DoesNotContain(process[0], worker);
    }

    [Fact]
    public void OnLinuxAWorkerMovedOntoItsWaitingCallersCoreIsPlacedAwayAgainAtTheNextJob()
    {
        // A caller left waiting lets a worker run on its own core only (WorkerPlacement.OntoCaller); the next job must
        // put the worker back on every CPU but the caller's, even when the caller has not changed core meanwhile.
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("LATENT_WORKER_PLACEMENT") == "0") return;
        int[] moved = [], after = [];
        int[] process = OnPinnedCaller(dir =>
        {
            WorkerPlacement.OntoCaller(WorkerPool.Workers[0]);
            moved = AllowedCpus(dir);
            WorkerPool.Run(&Nothing, null, 2);
            after = AllowedCpus(dir);
        });
        if (process.Length < 2) return;
        Assert.Equal([process[0]], moved); // the caller's CPU only
        Assert.Equal(process.Length - 1, after.Length); // every CPU but the caller's again
        Assert.DoesNotContain(process[0], after);
    }

    private static readonly ManualResetEventSlim WorkerGate = new(false);
    private static volatile bool s_workerInPart;

    // On the worker: says so, then blocks (no CPU) until the gate opens; on the caller: returns at once.
    private static void BlockOnWorker(void* ctx, int part)
    {
        if (Thread.CurrentThread.Name != "Latent worker 1") return;
        s_workerInPart = true;
        WorkerGate.Wait();
    }

    [Fact]
    public void OnLinuxAWorkerBlockedInsideAPartIsSeenStalled()
    {
        // What a waiting caller checks before it moves a worker to its own core: a worker that gets no CPU is stalled.
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("LATENT_WORKER_PLACEMENT") == "0") return;
        if (AllowedCpus("/proc/self").Length < 2) return;
        int saved = Parallelism.MaxDegree;
        bool stalled = false;
        try
        {
            Parallelism.MaxDegree = 2;
            for (int attempt = 0; attempt < 20 && !s_workerInPart; attempt++)
            {
                WorkerGate.Reset();
                var caller = new Thread(() => WorkerPool.Run(&BlockOnWorker, null, 2));
                caller.Start();
                // The caller may run both parts itself when the worker wakes late: then the job ends and we try again.
                for (int i = 0; i < 200 && !s_workerInPart && caller.IsAlive; i++) Thread.Sleep(5);
                if (s_workerInPart)
                {
                    Thread.Sleep(20); // the worker is asleep in the gate
                    int pending = 1;
                    stalled = WorkerPlacement.Stalled(WorkerPool.Workers[0], ref pending);
                }
                WorkerGate.Set();
                Assert.True(caller.Join(TimeSpan.FromSeconds(30)));
            }
        }
        finally
        {
            WorkerGate.Set();
            Parallelism.MaxDegree = saved;
        }
        Assert.True(s_workerInPart, "the worker never ran a part in 20 jobs");
        Assert.True(stalled);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "sched_setaffinity")]
    private static extern int SetAffinity(int pid, nint size, ulong* mask);

    [Fact]
    public void SpinBudgetPollsBrieflyForAHoldAfterAPreemption()
    {
        var budget = new WorkerPool.SpinBudget();
        Assert.False(budget.Shared(0));
        budget.Preempted(1_000, minHold: 100, maxHold: 800);
        Assert.True(budget.Shared(1_000));
        Assert.True(budget.Shared(1_099));
        Assert.False(budget.Shared(1_100));
    }

    [Fact]
    public void SpinBudgetHoldDoublesWhileTheCoreStaysSharedAndStartsAgainWhenItIsFree()
    {
        var budget = new WorkerPool.SpinBudget();
        budget.Preempted(0, minHold: 100, maxHold: 400); // shared until 100
        budget.Preempted(150, minHold: 100, maxHold: 400); // again within a hold of its end: 200, until 350
        Assert.True(budget.Shared(349));
        Assert.False(budget.Shared(350));
        budget.Preempted(360, minHold: 100, maxHold: 400); // 400, until 760
        budget.Preempted(800, minHold: 100, maxHold: 400); // capped at 400, until 1200
        Assert.True(budget.Shared(1_199));
        Assert.False(budget.Shared(1_200));
        budget.Preempted(1_700, minHold: 100, maxHold: 400); // free for a whole hold: back to 100, until 1800
        Assert.True(budget.Shared(1_799));
        Assert.False(budget.Shared(1_800));
    }
}
