using Latent.Core;
using Latent.Models;
using Latent.Models.IO;

namespace Latent.Fuzz.Tests;

/// <summary>Option values and inputs that once crashed the CLI or exhausted memory: now exit 1 with one line (or a result).</summary>
public sealed class CliInputTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "latent-cli-inputs-" + Guid.NewGuid().ToString("N"));

    public CliInputTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (int Code, string Out, string[] Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Latent.Cli.Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static void AssertOneLine((int Code, string Out, string[] Err) r, string contains)
    {
        Assert.Equal(1, r.Code);
        Assert.Single(r.Err);
        Assert.StartsWith("latent: ", r.Err[0]);
        Assert.Contains(contains, r.Err[0], StringComparison.Ordinal);
    }

    private string UntrainedModel(string? dataSource = null)
    {
        var dir = Path.Combine(_root, "model-" + Guid.NewGuid().ToString("N"));
        var info = ModelRegistry.Get("ae");
        var model = info.Create(info.Schema.Parse(new Dictionary<string, string> { ["arch"] = "784-8-2" }), [1, 28, 28], new Rng(1));
        ModelFile.Save(dir, model, new ModelManifest
        {
            Model = "ae", Options = "", CodeSize = 0, InputShape = [1, 28, 28],
            Data = dataSource is null ? null : new DataDescription { Source = dataSource, Kind = "idx" },
        });
        return dir;
    }

    [Theory]
    [InlineData("--epochs", "2147483647", "epochs 2147483647 must be between 1 and 1000000")]
    [InlineData("--samples", "2000000000", "--samples 2000000000")]
    [InlineData("--samples", "2500000", "over the 256 MiB input limit")]
    public void Train_option_values_beyond_their_range_are_user_errors(string option, string value, string message) =>
        AssertOneLine(Run("train", option, value, "--out", Path.Combine(_root, "run"), "--quiet"), message);

    [Fact]
    public void A_batch_larger_than_the_data_trains()
    {
        var r = Run("train", "--batch", "2147483647", "--samples", "64", "--arch", "784-8-2", "--epochs", "1", "--out", Path.Combine(_root, "run"), "--quiet", "--no-report");
        Assert.Equal(0, r.Code);
    }

    [Theory]
    [InlineData("--dims", "100000000", "--dims 100000000 must be between 1 and 1024")]
    [InlineData("--steps", "100000", "--steps 100000 must be between 2 and 256")]
    public void Traverse_sizes_are_checked_before_loading(string option, string value, string message) =>
        AssertOneLine(Run("traverse", UntrainedModel(), option, value, "--out", Path.Combine(_root, "t.png")), message);

    [Fact]
    public void Info_on_a_device_says_what_it_reads()
    {
        var r = Run("info", "/dev/zero");
        AssertOneLine(r, "is not a kind of file latent describes");
    }

    [Fact]
    public void Info_describes_data_files()
    {
        var npy = Path.Combine(_root, "x.npy");
        File.WriteAllBytes(npy, Seeds.NpyF4());
        var csv = Path.Combine(_root, "t.csv");
        File.WriteAllBytes(csv, Seeds.Csv());
        var r = Run("info", npy);
        Assert.Equal(0, r.Code);
        Assert.Matches(@"(?m)^shape +\[4,3\]$", r.Out);
        Assert.Matches(@"(?m)^dtype +float32 \(<f4\)$", r.Out);
        r = Run("info", csv);
        Assert.Equal(0, r.Code);
        Assert.Matches(@"(?m)^size +4 rows x 3 columns \(2 features \+ the label\)$", r.Out);
    }

    [Fact]
    public void Eval_of_a_model_whose_data_is_a_device_fails_at_once()
    {
        var r = Run("eval", UntrainedModel("/dev/zero"));
        AssertOneLine(r, "/dev/zero: IDX type code");
    }

    [Fact]
    public void Download_switch_is_accepted_everywhere()
    {
        Assert.Equal(0, Run("--download", "models").Code);
        Assert.Equal(0, Run("models", "--download").Code);
    }
}
