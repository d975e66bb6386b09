using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Latent.Models.IO;
using Latent.Models.Runs;
using Latent.Models.Training;

namespace Latent.Cli.Tests;

/// <summary>
/// `latent train` as a child process (the built latent.dll beside this test assembly), killed (SIGKILL) at seeded random
/// moments: after every kill the run folder is consistent (model.json and model.safetensors a pair, every checkpoint
/// readable), the next start removes the killed runs' temporary files, and resuming to the end gives the uninterrupted
/// run's model.safetensors byte for byte. A run that reaches its end between kills is checked the same way and the kills go
/// on in a fresh folder.
/// </summary>
public class CrashConsistencyTests
{
    private const int Kills = 10;

    private static readonly string Host = Path.Combine(Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")), "dotnet");

    private static readonly string LatentDll = Path.Combine(AppContext.BaseDirectory, "latent.dll");

    /// <summary>The most any one child may take (the test's time is bounded by this times the number of children).</summary>
    private static readonly TimeSpan ChildLimit = TimeSpan.FromSeconds(60);

    private static string[] Args(string dir, bool resume) =>
        [.. CliRunner.TinyTrain(dir, "--epochs", "3", "--no-report"), .. resume ? ["--resume"] : Array.Empty<string>()];

    private sealed class Child : IDisposable
    {
        private readonly StringBuilder _err = new();

        public Child(string[] args)
        {
            var psi = new ProcessStartInfo(Host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(LatentDll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            Process = Process.Start(psi)!;
            Process.OutputDataReceived += (_, _) => { };
            Process.ErrorDataReceived += (_, e) => { lock (_err) _err.AppendLine(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Err { get { lock (_err) return _err.ToString(); } }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.WaitForExit(); // also waits for the redirected streams to end, so no reader outlives the process object
            Process.Dispose();
        }
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) return false;
            Thread.Sleep(5);
        }
        return true;
    }

    /// <summary>True once <paramref name="pid"/> holds the folder: its lock taken, an interrupted commit finished, stale temporary files removed.</summary>
    private static bool Holds(string dir, int pid)
    {
        try { return File.ReadAllText(Path.Combine(dir, TrainingRunFolder.OwnerFileName)) == $"pid {pid}\n"; }
        catch (IOException) { return false; }
    }

    private static bool HasCheckpoint(string dir) =>
        Directory.Exists(Path.Combine(dir, TrainingRun.CheckpointFolder)) && Directory.EnumerateFiles(Path.Combine(dir, TrainingRun.CheckpointFolder), "checkpoint*.latent").Any();

    private static readonly Regex Temporary = new(@"\.(\d+)\.[0-9a-f]{32}\.tmp$");

    /// <summary>The temporary files under <paramref name="dir"/> not written by <paramref name="pid"/>.</summary>
    private static List<string> ForeignTemporaryFiles(string dir, int pid) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => Temporary.Match(f) is { Success: true } m && m.Groups[1].Value != pid.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>model.json and model.safetensors load as a pair (or neither is there); every checkpoint reads.</summary>
    private static void AssertConsistent(string dir, string when)
    {
        if (File.Exists(Path.Combine(dir, ModelFile.ManifestFileName)))
        {
            var e = Record.Exception(() => ModelFile.Load(dir));
            Assert.True(e is null, $"{when}: the model files are not a pair: {e?.Message}");
        }
        else Assert.False(File.Exists(Path.Combine(dir, ModelFile.WeightsFileName)), $"{when}: model.safetensors without model.json");
        var checkpoints = Path.Combine(dir, TrainingRun.CheckpointFolder);
        if (Directory.Exists(checkpoints))
            foreach (var ck in Directory.EnumerateFiles(checkpoints, "checkpoint*.latent"))
            {
                var e = Record.Exception(() => Checkpoint.Load(ck));
                Assert.True(e is null, $"{when}: checkpoint {Path.GetFileName(ck)} does not read: {e?.Message}");
            }
    }

    /// <summary>Runs a child to its end; its exit code and stderr, and the seconds from taking the folder to the end.</summary>
    private static (int Code, string Err, double HeldSeconds) RunToEnd(string[] args, string dir)
    {
        using var child = new Child(args);
        Assert.True(WaitFor(() => child.Process.HasExited || Holds(dir, child.Process.Id), ChildLimit), "the child never took the folder");
        var held = Stopwatch.StartNew();
        Assert.True(child.Process.WaitForExit(ChildLimit), "the child did not end in time");
        child.Process.WaitForExit();
        return (child.Process.ExitCode, child.Err, held.Elapsed.TotalSeconds);
    }

    [Fact]
    public void Killed_at_random_moments_the_folder_stays_consistent_and_resume_gives_the_uninterrupted_model()
    {
        Assert.True(File.Exists(LatentDll), $"no {LatentDll}");
        var straight = CliRunner.TempDir();
        var (code, err, window) = RunToEnd(Args(straight, resume: false), straight);
        Assert.True(code == 0, err);

        var dir = CliRunner.TempDir();
        var rng = new Random(20261207);
        int kills = 0;
        for (int start = 0; kills < Kills; start++)
        {
            Assert.True(start < 4 * Kills, $"only {kills} kills in {start} starts");
            using var child = new Child(Args(dir, resume: HasCheckpoint(dir)));
            int pid = child.Process.Id;
            Assert.True(WaitFor(() => child.Process.HasExited || Holds(dir, pid), ChildLimit), $"start {start}: the child never took the folder");
            if (!child.Process.HasExited)
            {
                var foreign = ForeignTemporaryFiles(dir, pid);
                Assert.True(foreign.Count == 0, $"start {start}: temporary files of killed runs survived the start: {string.Join(", ", foreign)}");
            }
            int delayMs = rng.Next(0, (int)(window * 1000) + 1);
            if (child.Process.WaitForExit(delayMs))
            {
                child.Process.WaitForExit();
                Assert.True(child.Process.ExitCode == 0, $"start {start}: exit {child.Process.ExitCode}: {child.Err}");
                // The run got to its end between kills: it must be the uninterrupted model; the next kills go to a fresh folder,
                // so the count of kills does not depend on how fast this machine trains.
                AssertConsistent(dir, $"after start {start} (ran to the end)");
                Assert.Equal(CliRunner.Hash(Path.Combine(straight, ModelFile.WeightsFileName)), CliRunner.Hash(Path.Combine(dir, ModelFile.WeightsFileName)));
                dir = CliRunner.TempDir();
                continue;
            }
            else
            {
                child.Process.Kill(entireProcessTree: true);
                child.Process.WaitForExit();
                kills++;
            }
            AssertConsistent(dir, $"after start {start} (killed at {delayMs} ms: {child.Process.ExitCode != 0})");
        }

        var (last, lastErr, _) = RunToEnd(Args(dir, resume: HasCheckpoint(dir)), dir);
        Assert.True(last == 0, lastErr);
        AssertConsistent(dir, "at the end");
        Assert.Equal(CliRunner.Hash(Path.Combine(straight, ModelFile.WeightsFileName)), CliRunner.Hash(Path.Combine(dir, ModelFile.WeightsFileName)));
        Assert.Empty(ForeignTemporaryFiles(dir, -1));
        Assert.False(Directory.Exists(Path.Combine(dir, TrainingRunFolder.StagingFolderName)));
        Assert.Empty(Directory.EnumerateFiles(dir, ".model.*.safetensors"));
    }
}
