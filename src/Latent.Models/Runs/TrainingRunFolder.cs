using System.Text.RegularExpressions;
using Latent.Core.IO;
using Latent.Models.IO;
using Latent.Models.Training;

namespace Latent.Models.Runs;

/// <summary>
/// A run folder held by one training run. <see cref="Open"/> takes an exclusive lock (<see cref="LockFileName"/>, opened
/// with <see cref="FileShare.None"/> for the whole run, so the operating system releases it when the process dies): a
/// second run into the same folder fails at once with an <see cref="IOException"/> naming the process that holds it.
/// Holding the lock, it finishes a commit that a killed run left half done and removes the temporary files of killed
/// runs. A run writes its outputs (metrics.csv, the model files, the report) into <see cref="Staging"/>; its checkpoints
/// go to <c>checkpoints/</c> as they are made. <see cref="Commit"/> replaces the previous run's outputs only at the run's
/// successful end: it marks the staging area complete, moves every staged file into the folder (the model pair as
/// <see cref="ModelFile"/> orders it), removes the previous run's outputs that the new run did not write
/// (<see cref="RunFiles"/>), and deletes the staging area. A run that fails or is killed before that leaves the
/// previous run's outputs as they were.
/// </summary>
public sealed partial class TrainingRunFolder : IDisposable
{
    /// <summary>The lock file inside the run folder (empty; kept after the run).</summary>
    public const string LockFileName = ".latent.lock";

    /// <summary>The file naming the process that holds the lock ("pid N"), removed when the run ends.</summary>
    public const string OwnerFileName = ".latent.owner";

    /// <summary>The staging area inside the run folder.</summary>
    public const string StagingFolderName = ".staging";

    /// <summary>The marker, inside the staging area, of a complete run whose files are being moved into the folder.</summary>
    public const string CommitMarkerName = ".commit";

    /// <summary>
    /// The files a run writes into its folder. At a commit, those of the previous run that the new run did not write
    /// (e.g. samples.png of a generative model, or the report when the new run has none) are removed.
    /// </summary>
    public static IReadOnlyList<string> RunFiles { get; } =
    [
        ModelFile.WeightsFileName, ModelFile.ManifestFileName, Trainer.MetricsFileName,
        "report.html", "reconstructions.png", "reconstructions_by_epoch.png", "samples.png", "loss.svg", "codes.svg",
    ];

    private readonly FileStream _lock;

    private TrainingRunFolder(string directory, FileStream lockStream)
    {
        Directory = directory;
        _lock = lockStream;
    }

    /// <summary>The run folder.</summary>
    public string Directory { get; }

    /// <summary>Where the run writes its outputs until <see cref="Commit"/>.</summary>
    public string Staging => Path.Combine(Directory, StagingFolderName);

    /// <summary>The checkpoint folder.</summary>
    public string Checkpoints => Path.Combine(Directory, TrainingRun.CheckpointFolder);

    /// <summary>
    /// Creates <paramref name="dir"/> if needed and locks it for this process; finishes an interrupted commit and removes
    /// temporary files left by killed runs. IOException naming the other process when another run holds the folder.
    /// </summary>
    public static TrainingRunFolder Open(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        System.IO.Directory.CreateDirectory(dir);
        string lockPath = Path.Combine(dir, LockFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw InUse(dir, e);
        }
        var folder = new TrainingRunFolder(dir, stream);
        try
        {
            folder.RollForward();
            folder.RemoveStaleTemporaryFiles();
            AtomicFile.WriteAllText(Path.Combine(dir, OwnerFileName), $"pid {Environment.ProcessId}\n");
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>"process N" from the owner file when that process is alive, else "process unknown".</summary>
    private static string Owner(string dir)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(dir, OwnerFileName));
            if (text.StartsWith("pid ", StringComparison.Ordinal) && int.TryParse(text.AsSpan(4).Trim(), out int pid) && Processes.IsRunning(pid)) return $"process {pid}";
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "process unknown";
    }

    /// <summary>
    /// Fails at once (IOException naming the process) when another run holds <paramref name="dir"/>; creates nothing. For a
    /// command line to call before it loads data (<see cref="Open"/> then takes the lock for the run).
    /// </summary>
    public static void ThrowIfInUse(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        string lockPath = Path.Combine(dir, LockFileName);
        if (!File.Exists(lockPath)) return;
        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw InUse(dir, e);
        }
    }

    private static IOException InUse(string dir, IOException inner) =>
        new($"--out '{dir}' is in use by another training run ({Owner(dir)}); wait for it to end or choose another folder", inner);

    /// <summary>
    /// Empties the staging area (what a killed run staged is made again: a resumed run rewrites metrics.csv from its
    /// checkpoint, and the model files and report at its end).
    /// </summary>
    public void ClearStaging()
    {
        if (System.IO.Directory.Exists(Staging)) System.IO.Directory.Delete(Staging, recursive: true);
    }

    /// <summary>A fresh run: <see cref="ClearStaging"/>, and the earlier run's checkpoints are removed (a fresh run must not resume another's stages).</summary>
    public void StartFresh()
    {
        ClearStaging();
        if (System.IO.Directory.Exists(Checkpoints))
            foreach (var stale in System.IO.Directory.EnumerateFiles(Checkpoints, "checkpoint*.latent")) File.Delete(stale);
    }

    /// <summary>Makes the staged outputs the folder's: see the type's summary. Call once, at the run's successful end.</summary>
    public void Commit()
    {
        var staged = System.IO.Directory.EnumerateFiles(Staging).Select(f => Path.GetFileName(f)!).Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        AtomicFile.WriteAllText(Path.Combine(Staging, CommitMarkerName), string.Join('\n', staged) + "\n");
        RollForward();
    }

    /// <summary>Completes a commit whose marker exists (idempotent: every step can be repeated after a kill). A staging area without the marker is an unfinished run's: left for <see cref="ClearStaging"/>.</summary>
    private void RollForward()
    {
        string marker = Path.Combine(Staging, CommitMarkerName);
        if (!File.Exists(marker)) return;
        var names = File.ReadAllLines(marker).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        // The model pair first, in the order readers rely on: weights under their checksum name, then the manifest, then the rename.
        string stagedWeights = Path.Combine(Staging, ModelFile.WeightsFileName), stagedManifest = Path.Combine(Staging, ModelFile.ManifestFileName);
        if (File.Exists(stagedWeights) && File.Exists(stagedManifest) && ModelFile.ReadManifest(stagedManifest).WeightsSha256 is { } sha)
            File.Move(stagedWeights, ModelFile.PendingWeightsPath(Directory, sha), overwrite: true);
        if (File.Exists(stagedManifest)) File.Move(stagedManifest, Path.Combine(Directory, ModelFile.ManifestFileName), overwrite: true);
        ModelFile.CompleteSave(Directory);
        foreach (var name in names)
        {
            string from = Path.Combine(Staging, name);
            if (File.Exists(from)) File.Move(from, Path.Combine(Directory, name), overwrite: true);
        }
        foreach (var name in RunFiles)
            if (!names.Contains(name)) File.Delete(Path.Combine(Directory, name));
        System.IO.Directory.Delete(Staging, recursive: true);
    }

    [GeneratedRegex(@"^\..+\.(\d+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryFile();

    /// <summary>
    /// Removes temporary files (<c>.NAME.PID.GUID.tmp</c>) of killed writers: in the checkpoint folder and the staging
    /// area (only a run holding the lock writes there) all of them, in the folder itself those whose process is gone
    /// (another command may be writing a picture there).
    /// </summary>
    private void RemoveStaleTemporaryFiles()
    {
        foreach (var (folder, always) in new[] { (Checkpoints, true), (Staging, true), (Directory, false) })
        {
            if (!System.IO.Directory.Exists(folder)) continue;
            foreach (var file in System.IO.Directory.EnumerateFiles(folder))
            {
                var m = TemporaryFile().Match(Path.GetFileName(file));
                if (!m.Success || !int.TryParse(m.Groups[1].ValueSpan, out int pid) || pid == Environment.ProcessId) continue;
                if (always || !Processes.IsRunning(pid)) File.Delete(file);
            }
        }
    }

    /// <summary>Releases the lock (the lock file stays; the owner file goes).</summary>
    public void Dispose()
    {
        try { File.Delete(Path.Combine(Directory, OwnerFileName)); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        _lock.Dispose();
    }
}
