using System.Text;
using Latent.Core;
using Latent.Core.IO;
using Latent.Data;
using Latent.Data.Arrays;
using Latent.Data.Idx;
using Latent.Data.Rows;
using Latent.Models;
using Latent.Models.IO;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Latent.Fuzz.Tests;

/// <summary>
/// Runs the generated corpus (<see cref="CorpusGenerator"/>) through every reader in-process, then through the CLI,
/// under the small input limit the corpus is sized for. Each case must end as it expects, with the reader's
/// documented exception and a one-line message; a budget of allocated bytes and of time bounds each case; through
/// the CLI every failure is exit 1 with one line on stderr, and files that existed before are left byte for byte.
/// </summary>
public sealed class FuzzCorpusTests : IDisposable
{
    // Allocation budget of one reader case: a few times the input limit plus the file's own size (read once,
    // decoded once), and a constant for the runtime's buffers.
    private static long Budget(FuzzCase c) => 4 * CorpusGenerator.Limit + 8L * (c.Bytes.Length + (c.Extra?.Length ?? 0)) + (8L << 20);

    // Time budget of one case: far above what any case needs, so that only a hang (or a quadratic blow-up) trips it.
    private static readonly TimeSpan CaseTime = TimeSpan.FromSeconds(10);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "latent-fuzz-" + Guid.NewGuid().ToString("N"));

    public FuzzCorpusTests() => InputLimits.MaxInputBytes = CorpusGenerator.Limit;

    public void Dispose()
    {
        InputLimits.Reset();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Corpus_covers_every_reader_and_every_kind_of_damage()
    {
        var cases = CorpusGenerator.Cases();
        Assert.True(cases.Count > 300, $"{cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        foreach (var r in Enum.GetValues<Reader>())
        {
            Assert.Contains(cases, c => c.Reader == r && c.Expect == Expect.Ok);
            Assert.Contains(cases, c => c.Reader == r && c.Name.Contains("/cut-", StringComparison.Ordinal));
        }
        foreach (var kind in new[] { "bomb", "nesting", "deep-json", "dtype", "crc", "bom", "nan", "headerless", "lying", "huge" })
            Assert.Contains(cases, c => c.Name.Contains(kind, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_case_ends_in_its_documented_outcome_within_its_budgets()
    {
        var failures = new List<string>();
        long worst = 0;
        string worstName = "";
        foreach (var c in CorpusGenerator.Cases())
        {
            var path = ReaderRunner.Write(c, Path.Combine(_root, Safe(c.Name)));
            var o = ReaderRunner.Run(c, path);
            var why = ReaderRunner.Judge(c, o);
            if (why is not null) failures.Add($"{c.Name}: {why}");
            if (o.Allocated > Budget(c)) failures.Add($"{c.Name}: allocated {o.Allocated} bytes, budget {Budget(c)}");
            if (o.Elapsed > CaseTime) failures.Add($"{c.Name}: took {o.Elapsed.TotalSeconds:F1} s");
            if (o.Allocated > worst) (worst, worstName) = (o.Allocated, c.Name);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures (largest allocation {worst} bytes by {worstName}):\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Through_the_cli_every_failure_is_one_line_exit_1_and_existing_outputs_are_kept()
    {
        var model = Path.Combine(_root, "model");
        var info = ModelRegistry.Get("ae");
        ModelFile.Save(model, info.Create(info.Schema.Parse(new Dictionary<string, string> { ["arch"] = "784-8-2" }), [1, 28, 28], new Rng(1)),
            new ModelManifest { Model = "ae", Options = "", CodeSize = 0, InputShape = [1, 28, 28] });
        var existing = Path.Combine(_root, "codes.csv");
        File.WriteAllText(existing, "kept\n");
        var keep = File.ReadAllBytes(existing);

        var failures = new List<string>();
        foreach (var c in CorpusGenerator.Cases())
        {
            var dir = Path.Combine(_root, Safe(c.Name));
            var path = ReaderRunner.Write(c, dir);
            var before = Snapshot(dir);
            string[] args = c.Reader switch
            {
                Reader.ModelFolder => ["eval", path, "--data", "sprites", "--samples", "2", "--quiet"],
                Reader.SafeTensors or Reader.Checkpoint => ["info", path],
                _ => ["encode", model, "--data", path, "--out", existing, "--quiet"],
            };
            long allocated = GC.GetTotalAllocatedBytes(precise: false);
            var o = new StringWriter();
            var e = new StringWriter();
            int code = Latent.Cli.Cli.Run(args, o, e);
            allocated = GC.GetTotalAllocatedBytes(precise: false) - allocated;
            var err = e.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            bool mustFail = c.Reader is not (Reader.ModelFolder or Reader.SafeTensors or Reader.Checkpoint) || c.Expect == Expect.Error;
            if (code == 0 && mustFail) failures.Add($"{c.Name}: exit 0, expected 1");
            if (code != 0 && code != 1) failures.Add($"{c.Name}: exit {code}: {e}");
            if (code == 1 && (err.Length != 1 || !err[0].StartsWith("latent: ", StringComparison.Ordinal) || e.ToString().Contains("   at ", StringComparison.Ordinal)))
                failures.Add($"{c.Name}: stderr is not one 'latent: ' line: {e}");
            if (c.Expect == Expect.Ok && c.Reader is Reader.ModelFolder or Reader.SafeTensors or Reader.Checkpoint && code != 0)
                failures.Add($"{c.Name}: a valid file failed: {e}");
            if (!File.ReadAllBytes(existing).AsSpan().SequenceEqual(keep)) failures.Add($"{c.Name}: the existing output was changed");
            if (!Snapshot(dir).SequenceEqual(before)) failures.Add($"{c.Name}: the case's own files were changed");
            if (allocated > Budget(c) + (64L << 20)) failures.Add($"{c.Name}: allocated {allocated} bytes through the CLI");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Rows_read_on_demand_are_refused_where_the_whole_file_is_and_are_its_floats_where_they_are_read()
    {
        var failures = new List<string>();
        string cache = Path.Combine(_root, "raw");
        int opened = 0;
        foreach (var c in CorpusGenerator.Cases().Where(c => c.Reader is Reader.Idx or Reader.Npy or Reader.Npz))
        {
            var path = ReaderRunner.Write(c, Path.Combine(_root, Safe(c.Name)));
            Dataset? whole = null;
            Exception? wholeError = null;
            try { whole = c.Reader == Reader.Idx ? IdxReader.Load(path) : NpyReader.LoadDataset(path); }
            catch (DatasetFormatException e) { wholeError = e; }
            long before = GC.GetAllocatedBytesForCurrentThread();
            FileRows? rows = null;
            try
            {
                rows = FileRows.TryOpen(path, cache);
            }
            catch (Exception e)
            {
                if (e is not DatasetFormatException) failures.Add($"{c.Name}: {e.GetType().Name} escaped the row reader: {e.Message}");
                else if (e.Message.Any(ch => char.IsControl(ch))) failures.Add($"{c.Name}: message is not one printable line: {e.Message}");
                if (whole is not null) failures.Add($"{c.Name}: the whole-file reader accepts it, the row reader refuses it: {e.Message}");
            }
            if (rows is not null)
            {
                using (rows)
                {
                    opened++;
                    if (whole is null) failures.Add($"{c.Name}: the row reader accepts what the whole-file reader refuses ({wholeError?.Message})");
                    else
                    {
                        var lazy = rows.ToDataset();
                        if (!lazy.SampleShape.SequenceEqual(whole.SampleShape) || lazy.Count != whole.Count)
                            failures.Add($"{c.Name}: rows of [{string.Join(",", lazy.SampleShape)}] x {lazy.Count}, the whole file [{string.Join(",", whole.SampleShape)}] x {whole.Count}");
                        else if (!lazy.Batch(Enumerable.Range(0, lazy.Count).Reverse().ToArray()).ToArray().Select(BitConverter.SingleToInt32Bits)
                                     .SequenceEqual(whole.Batch(Enumerable.Range(0, whole.Count).Reverse().ToArray()).ToArray().Select(BitConverter.SingleToInt32Bits)))
                            failures.Add($"{c.Name}: the rows differ from the whole file's samples");
                    }
                }
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > Budget(c)) failures.Add($"{c.Name}: the row reader allocated {allocated} bytes, budget {Budget(c)}");
        }
        Assert.True(opened >= 3, $"only {opened} files were opened for rows");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures));
    }

    private static string Safe(string name) => new(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_').ToArray());

    private static List<(string, string)> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (f, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))).ToList();
}
