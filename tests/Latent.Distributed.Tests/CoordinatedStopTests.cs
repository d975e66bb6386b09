using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Latent.Models.Training;
using Xunit.Abstractions;

namespace Latent.Distributed.Tests;

/// <summary>
/// Stopping a data-parallel run: SIGINT to one rank stops every rank after the same step, rank 0 writes the checkpoint,
/// the job exits 130, and a resume reproduces the uninterrupted run bit for bit; a rank killed outright ends the job
/// instead of leaving the others waiting in a collective.
/// </summary>
public sealed partial class CoordinatedStopTests(ITestOutputHelper output)
{
    private static readonly string[] TrainArgs =
        ["train", "--data", "sprites", "--samples", "320", "--arch", "784-64-8", "--batch", "32", "--val-fraction", "0", "--no-report", "--threads", "1", "--distributed"];

    private const int StepsPerEpoch = 10; // 320 samples / batch 32

    // More epochs than the runs can train before they are stopped: mpirun stops them 10 s after Ctrl+C, and an epoch of
    // this model takes 20-40 ms here, so 500 epochs could end first and leave the last epoch's checkpoint.
    private const int Epochs = 5000;

    [MpiFact]
    public void CtrlCOnOneRankStopsEveryRankAtTheSameStepAndResumesBitIdentically()
    {
        string root = Directory.CreateTempSubdirectory("latent-mpi-").FullName;
        try
        {
            string stopped = Path.Combine(root, "stopped"), reference = Path.Combine(root, "reference");
            var (rc, text) = RunUntilFirstEpoch([.. TrainArgs, "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--out", stopped], (_, ranks) => Signal(ranks[^1], "INT"));
            output.WriteLine(text);
            Assert.True(rc == 130, $"mpirun exited {rc}, not 130: {text}");
            var m = CancelledAfter().Match(text);
            Assert.True(m.Success, $"no 'training cancelled after N steps' line: {text}");
            int steps = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(steps < Epochs * StepsPerEpoch, $"the run finished ({steps} steps) before it was interrupted");
            Assert.True(File.Exists(Path.Combine(stopped, "checkpoints", "checkpoint.latent")));

            // Finish one epoch after the interrupted one, and train the same epochs without interruption.
            AssertResumeMatchesUninterrupted(stopped, reference, steps / StepsPerEpoch + 2);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [MpiFact]
    public void ARankThatDiesEndsTheJobInsteadOfLeavingTheOthersWaiting()
    {
        string root = Directory.CreateTempSubdirectory("latent-mpi-").FullName;
        try
        {
            var (rc, text) = RunUntilFirstEpoch([.. TrainArgs, "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(root, "run")], (_, ranks) => Signal(ranks[^1], "KILL"));
            output.WriteLine(text);
            Assert.NotEqual(0, rc);
            Assert.NotEqual(-1, rc); // -1: the job was still running after the wait
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [OpenMpiFact]
    public void CtrlCToMpirunStopsEveryRankWithACheckpointThatResumesBitIdentically()
    {
        string root = Directory.CreateTempSubdirectory("latent-mpi-").FullName;
        try
        {
            string stopped = Path.Combine(root, "stopped"), reference = Path.Combine(root, "reference");
            // Open MPI's mpirun answers Ctrl+C with SIGCONT, then SIGTERM and SIGKILL each after odls_base_sigkill_timeout
            // seconds (its event loop asleep in between): the ranks train on, then stop together at SIGTERM.
            var clock = Stopwatch.StartNew();
            var (rc, text) = RunUntilFirstEpoch([.. TrainArgs, "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--out", stopped], (mpirun, _) => Signal(mpirun, "INT"),
                new Dictionary<string, string> { ["OMPI_MCA_odls_base_sigkill_timeout"] = "10" });
            output.WriteLine($"mpirun exited {rc} after {clock.Elapsed.TotalSeconds:F1} s: {text}");
            Assert.NotEqual(0, rc);
            Assert.NotEqual(-1, rc);
            // The checkpoint is the one written at the coordinated stop, not the last epoch's.
            var checkpoint = Checkpoint.Load(Path.Combine(stopped, "checkpoints", "checkpoint.latent"));
            Assert.True(checkpoint.GlobalStep < Epochs * StepsPerEpoch, $"the run finished ({checkpoint.GlobalStep} steps) before it was interrupted");
            Assert.Equal("cancelled", checkpoint.Status);

            AssertResumeMatchesUninterrupted(stopped, reference, checkpoint.GlobalStep / StepsPerEpoch + 2);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Starts <c>mpirun -np 2 latent ARGS</c>, waits until the first epoch's metrics exist, calls <paramref name="hit"/>
    /// with the process ids of mpirun and of its two ranks (in start order), and waits (at most 3 minutes) for mpirun to end.
    /// </summary>
    private static (int ExitCode, string Output) RunUntilFirstEpoch(string[] args, Action<int, List<int>> hit, Dictionary<string, string>? environment = null)
    {
        string dir = args[Array.IndexOf(args, "--out") + 1];
        var psi = DataParallelTrainingTests.StartInfo(2, args);
        foreach (var (k, v) in environment ?? []) psi.Environment[k] = v;
        var text = new StringBuilder();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(dir, ".staging", "metrics.csv")) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(100);
            Assert.False(p.HasExited, $"mpirun ended before the first epoch: {text}");
            var ranks = Children(p.Id);
            Assert.True(ranks.Count == 2, $"mpirun has {ranks.Count} child processes, not 2");
            hit(p.Id, ranks);
            if (!p.WaitForExit(TimeSpan.FromMinutes(3))) return (-1, "still running 3 minutes after the signal: " + text);
            p.WaitForExit();
            lock (text) return (p.ExitCode, text.ToString());
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The child processes of <paramref name="pid"/> (Linux /proc), in start order.</summary>
    private static List<int> Children(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task")
            .SelectMany(t => File.ReadAllText(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(c => int.Parse(c, CultureInfo.InvariantCulture)).Order().ToList();

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The train_total column of metrics.csv as written (the seconds column differs between runs).</summary>
    /// <summary>Resumes the stopped run in <paramref name="stopped"/> on 2 ranks to <paramref name="epochs"/> epochs, trains the same
    /// epochs uninterrupted into <paramref name="reference"/>, and checks that losses and final weights are equal bit for bit.</summary>
    private static void AssertResumeMatchesUninterrupted(string stopped, string reference, long epochs)
    {
        string e = epochs.ToString(CultureInfo.InvariantCulture);
        var resumed = DataParallelTrainingTests.Run(2, [.. TrainArgs, "--epochs", e, "--out", stopped, "--resume"]);
        Assert.True(resumed.ExitCode == 0, $"resume exited {resumed.ExitCode}: {resumed.Output}");
        var full = DataParallelTrainingTests.Run(2, [.. TrainArgs, "--epochs", e, "--out", reference]);
        Assert.True(full.ExitCode == 0, $"reference run exited {full.ExitCode}: {full.Output}");
        Assert.Equal(LossColumn(reference), LossColumn(stopped));
        Assert.Equal(0, DataParallelTrainingTests.MaxRelativeWeightDiff(reference, stopped));
    }

    private static List<string> LossColumn(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Skip(1).Select(l => l.Split(',')[1]).ToList();

    [GeneratedRegex(@"training cancelled after (\d+) steps")]
    private static partial Regex CancelledAfter();
}
