using System.Diagnostics;
using System.Globalization;
using Latent.Core.IO;
using Xunit.Abstractions;

namespace Latent.Distributed.Tests;

/// <summary>
/// `mpirun -np 2 latent train --distributed` against the same run in one process: the sum of two half-batch mean
/// gradients differs from the full-batch mean only by rounding, so losses and weights agree to a few float ulps.
/// </summary>
public sealed class DataParallelTrainingTests(ITestOutputHelper output)
{
    // Measured on Open MPI 4.1.4 (sprites, 784-64-8, batch 32, 4 epochs): losses 1.4e-8 relative, weights 9.7e-6 of the largest weight.
    private const double LossTolerance = 1e-6, WeightTolerance = 1e-4;

    private static readonly string[] TrainArgs =
        ["train", "--data", "sprites", "--samples", "320", "--arch", "784-64-8", "--batch", "32", "--val-fraction", "0", "--no-report", "--threads", "1"];

    [MpiFact]
    public void TwoRanksReproduceOneProcessAndResumeInOne()
    {
        string root = Directory.CreateTempSubdirectory("latent-mpi-").FullName;
        try
        {
            string single = Path.Combine(root, "single"), two = Path.Combine(root, "two"), resumed = Path.Combine(root, "resumed");
            string small = Path.Combine(root, "small-buckets"), one = Path.Combine(root, "one-bucket");
            Latent(1, [.. TrainArgs, "--epochs", "4", "--out", single]);
            Latent(2, [.. TrainArgs, "--epochs", "4", "--out", two, "--distributed"]);
            // The bucket size only changes when the sums are started, not what is summed: the same bits.
            Latent(2, [.. TrainArgs, "--epochs", "4", "--out", small, "--distributed", "--bucket-mb", "0.01"]);
            Latent(2, [.. TrainArgs, "--epochs", "4", "--out", one, "--distributed", "--bucket-mb", "0"]);
            foreach (var dir in new[] { small, one })
            {
                Assert.Equal(Losses(two), Losses(dir));
                Assert.Equal(0, MaxRelativeWeightDiff(two, dir));
            }
            // Two epochs on two processes, then the rest on one: resume works at another world size.
            Latent(2, [.. TrainArgs, "--epochs", "2", "--out", resumed, "--distributed"]);
            Latent(1, [.. TrainArgs, "--epochs", "4", "--out", resumed, "--resume"]);

            var expected = Losses(single);
            Assert.Equal(4, expected.Count);
            foreach (var dir in new[] { two, resumed })
            {
                var losses = Losses(dir);
                Assert.Equal(expected.Count, losses.Count);
                double lossDiff = expected.Zip(losses, (a, b) => Math.Abs(a - b) / Math.Abs(a)).Max();
                double weightDiff = MaxRelativeWeightDiff(single, dir);
                output.WriteLine($"{Path.GetFileName(dir)}: max relative loss difference {lossDiff:G3}, max weight difference / max |weight| {weightDiff:G3}");
                Assert.True(lossDiff <= LossTolerance, $"{dir}: losses differ by {lossDiff:G3} relative");
                Assert.True(weightDiff <= WeightTolerance, $"{dir}: weights differ by {weightDiff:G3} of the largest weight");
            }
            Assert.False(File.Exists(Path.Combine(two, "checkpoints", "checkpoint.latent.tmp")));
            // One writer of the event file: a JSON object a line, an epoch line per epoch.
            foreach (var dir in new[] { two, resumed })
            {
                var lines = File.ReadAllLines(Path.Combine(dir, "events.jsonl"));
                foreach (var line in lines) System.Text.Json.JsonDocument.Parse(line).Dispose();
                Assert.Equal(4, lines.Count(l => l.StartsWith("{\"type\":\"epoch\"", StringComparison.Ordinal)));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [MpiFact]
    public void TwoRanksReadingAnNpyFileOnDemandReproduceOneProcessThatLoadsIt()
    {
        string root = Directory.CreateTempSubdirectory("latent-mpi-").FullName;
        try
        {
            string npy = Path.Combine(root, "x.npy"), single = Path.Combine(root, "single"), two = Path.Combine(root, "two");
            NpyFile.Write(npy, NpyFile.Patterns(320, 64, seed: 5), 320);
            string[] args = ["train", "--data", npy, "--arch", "64-16-4", "--batch", "32", "--val-fraction", "0.1", "--epochs", "4", "--no-report", "--threads", "1"];
            var (rc1, text1) = Run(1, [.. args, "--out", single]);
            Assert.True(rc1 == 0, text1);
            Assert.DoesNotContain(OnDemandNote, text1);
            var (rc2, text2) = Run(2, [.. args, "--out", two, "--distributed"]);
            Assert.True(rc2 == 0, text2);
            Assert.Contains(OnDemandNote, text2);

            var expected = Losses(single);
            var losses = Losses(two);
            Assert.Equal(4, losses.Count);
            double lossDiff = expected.Zip(losses, (a, b) => Math.Abs(a - b) / Math.Abs(a)).Max();
            double weightDiff = MaxRelativeWeightDiff(single, two);
            output.WriteLine($"npy read on demand on 2 ranks: max relative loss difference {lossDiff:G3}, max weight difference / max |weight| {weightDiff:G3}");
            Assert.True(lossDiff <= LossTolerance, $"losses differ by {lossDiff:G3} relative");
            Assert.True(weightDiff <= WeightTolerance, $"weights differ by {weightDiff:G3} of the largest weight");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>What <c>latent train</c> says when the training rows are read from the file step by step.</summary>
    internal const string OnDemandNote = "training rows are read from the file as each step needs them";

    [MpiFact]
    public void ABatchNotDivisibleByTheRanksFailsOnEveryRank()
    {
        string root = Directory.CreateTempSubdirectory("latent-mpi-").FullName;
        try
        {
            var (rc, text) = Run(2, ["train", "--data", "sprites", "--samples", "64", "--arch", "784-8-4", "--batch", "33", "--epochs", "1", "--val-fraction", "0", "--no-report", "--out", root, "--distributed"]);
            Assert.NotEqual(0, rc);
            Assert.Contains("batch size 33 is not divisible by the 2 processes", text);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Max over tensors of max|a − b| / max|a| between two run folders' model.safetensors.</summary>
    internal static double MaxRelativeWeightDiff(string a, string b)
    {
        var wa = SafeTensors.Read(Path.Combine(a, "model.safetensors")).Tensors;
        var wb = SafeTensors.Read(Path.Combine(b, "model.safetensors")).Tensors;
        Assert.Equal(wa.Keys.Order(), wb.Keys.Order());
        double worst = 0;
        foreach (var (name, ta) in wa)
        {
            var x = ta.Span;
            var y = wb[name].Span;
            double scale = 0, diff = 0;
            for (int i = 0; i < x.Length; i++) { scale = Math.Max(scale, Math.Abs(x[i])); diff = Math.Max(diff, Math.Abs(x[i] - y[i])); }
            if (scale > 0) worst = Math.Max(worst, diff / scale);
        }
        return worst;
    }

    private static List<double> Losses(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToList();

    private void Latent(int ranks, string[] args)
    {
        var (rc, text) = Run(ranks, args);
        Assert.True(rc == 0, $"latent {string.Join(' ', args)} on {ranks} process(es) exited {rc}: {text}");
    }

    /// <summary>Runs latent.dll (under mpirun when <paramref name="ranks"/> &gt; 1); returns exit code and stdout+stderr.</summary>
    internal static (int ExitCode, string Output) Run(int ranks, string[] args)
    {
        using var p = Process.Start(StartInfo(ranks, args))!;
        var err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(entireProcessTree: true); return (-1, "timed out after 5 minutes: " + stdout + err.Result); }
        return (p.ExitCode, stdout + err.Result);
    }

    /// <summary>This test process's folder for the mpiruns' temporary folders, removed when the process ends.</summary>
    private static readonly Lazy<string> MpirunTemp = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("latent-mpirun-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { } // a rank still holding a file: left for the system's temp cleaning
            catch (UnauthorizedAccessException) { }
        };
        return dir;
    });

    /// <summary>latent.dll with <paramref name="args"/>, under mpirun on loopback when <paramref name="ranks"/> &gt; 1, output redirected.</summary>
    internal static ProcessStartInfo StartInfo(int ranks, string[] args)
    {
        string latent = Path.Combine(AppContext.BaseDirectory, "latent.dll");
        var psi = ranks > 1
            ? new ProcessStartInfo(MpiFactAttribute.Mpirun!) { ArgumentList = { "--oversubscribe", "-np", ranks.ToString(CultureInfo.InvariantCulture), "dotnet", latent } }
            : new ProcessStartInfo("dotnet") { ArgumentList = { latent } };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        psi.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        psi.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        psi.Environment["OMPI_MCA_btl"] = "self,vader,tcp"; // loopback only
        psi.Environment["LATENT_NUM_THREADS"] = "1";
        // A temporary folder of its own: Open MPI 4 makes its session folder (/tmp/ompi.HOST.UID) under it, and two mpiruns
        // started at once by tests running in parallel raced on creating the shared one ("mkdir ... File exists").
        psi.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(MpirunTemp.Value, Guid.NewGuid().ToString("N"))).FullName;
        psi.WorkingDirectory = Path.GetTempPath();
        return psi;
    }
}
