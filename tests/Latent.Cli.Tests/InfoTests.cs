using System.Text.RegularExpressions;
using Latent.Core;
using Latent.Models.IO;
using Latent.Viz.Png;

namespace Latent.Cli.Tests;

/// <summary><c>latent info</c> on each kind of file, and the small promises of the picture and encode commands.</summary>
public sealed class InfoTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    /// <summary>The key → value rows of a table printed by info; asserts every value starts in the same column.</summary>
    private static Dictionary<string, string> Table(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = lines.Select(l => Regex.Match(l, @"^(\S+(?: \S+)*?)( {2,})(\S.*)$")).ToList();
        Assert.All(rows, m => Assert.True(m.Success, m.Value));
        Assert.Single(rows.Select(m => m.Groups[3].Index).Distinct()); // one aligned column of values
        return rows.ToDictionary(m => m.Groups[1].Value, m => m.Groups[3].Value.TrimEnd());
    }

    [Fact]
    public void Model_folder_is_one_aligned_table_without_repeated_keys()
    {
        var r = CliRunner.Run("info", fixture.Dir);
        Assert.Equal(0, r.Code);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var keys = lines.Select(l => Regex.Match(l, @"^(\S+(?: \S+)*?) {2,}").Groups[1].Value).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count()); // model, options, code size once each
        Assert.DoesNotContain("code_size", keys);
        var t = Table(r.Out);
        Assert.Equal("ae", t["model"]);
        Assert.Equal("8", t["code size"]);
        Assert.Equal("58 training, 6 validation, 100 test", t["samples"]);
        Assert.Equal("0 = square, 1 = ellipse, 2 = heart", t["classes"]);
    }

    [Fact]
    public void Npy_is_described_by_shape_and_dtype()
    {
        var path = Path.Combine(CliRunner.TempDir(), "codes.npy");
        CodeFile.WriteNpy(path, Tensor.Zeros(5, 3));
        var r = CliRunner.Run("info", path);
        Assert.True(r.Code == 0, r.Err);
        var t = Table(r.Out);
        Assert.Equal("NPY array", t["kind"]);
        Assert.Equal("[5,3]", t["shape"]);
        Assert.StartsWith("float32", t["dtype"]);
        Assert.DoesNotContain("checkpoint", r.Out + r.Err);
    }

    [Fact]
    public void Csv_is_described_by_rows_and_columns()
    {
        var path = Path.Combine(CliRunner.TempDir(), "t.csv");
        File.WriteAllText(path, "a,b,label\n1,2,0\n3,4,1\n5,6,0\n");
        var r = CliRunner.Run("info", path);
        Assert.True(r.Code == 0, r.Err);
        var t = Table(r.Out);
        Assert.Equal("CSV table", t["kind"]);
        Assert.StartsWith("3 rows x 3 columns (2 features + the label)", t["size"]);
        Assert.Equal("a, b, label", t["columns"]);
        Assert.Equal("column 'label': values 0 (2), 1 (1)", t["labels"]);
    }

    [Fact]
    public void Png_is_described_by_width_height_and_channels()
    {
        var path = Path.Combine(CliRunner.TempDir(), "x.png");
        File.WriteAllBytes(path, PngEncoder.Encode(7, 5, 3, new byte[7 * 5 * 3]));
        var r = CliRunner.Run("info", path);
        Assert.True(r.Code == 0, r.Err);
        var t = Table(r.Out);
        Assert.Equal("PNG image", t["kind"]);
        Assert.StartsWith("7 x 5 x 3", t["size"]);
    }

    [Fact]
    public void Checkpoint_and_safetensors_are_tables_too()
    {
        var ck = Table(CliRunner.Run("info", Path.Combine(fixture.Dir, "checkpoints", "checkpoint.latent")).Out);
        Assert.Equal("completed", ck["status"]);
        var st = Table(CliRunner.Run("info", Path.Combine(fixture.Dir, "model.safetensors")).Out);
        Assert.Equal("safetensors", st["kind"]);
        Assert.Contains(st.Keys, k => k.StartsWith("encoder", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("r.jpg", ".jpg")]
    [InlineData("r", "no extension")]
    public void Reconstruct_to_a_name_that_is_not_png_is_a_one_line_error(string name, string named)
    {
        var path = Path.Combine(CliRunner.TempDir(), name);
        var r = CliRunner.Run("reconstruct", fixture.Dir, "--out", path);
        CliRunner.AssertOneLineError(r, contains: named);
        Assert.Contains("--out", r.Err);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Encode_to_npy_keeps_the_labels_beside_the_codes()
    {
        var path = Path.Combine(CliRunner.TempDir(), "codes.npy");
        var r = CliRunner.Run("encode", fixture.Dir, "--out", path);
        Assert.True(r.Code == 0, r.Err);
        var codes = Latent.Data.Arrays.NpyReader.Read(path);
        var labels = Latent.Data.Arrays.NpyReader.Read(CodeFile.LabelsPath(path));
        Assert.Equal(codes.Shape[0], labels.Shape[0]);
        Assert.All(labels.ToInt32(), l => Assert.InRange(l, 0, 2));
        Assert.Contains("codes.labels.npy", r.Out);
    }

    [Fact]
    public void Images_of_different_sizes_name_the_image_size_option()
    {
        var data = CliRunner.TempDir();
        File.WriteAllBytes(Path.Combine(data, "a.png"), PngEncoder.Encode(4, 4, 1, new byte[16]));
        File.WriteAllBytes(Path.Combine(data, "b.png"), PngEncoder.Encode(5, 4, 1, new byte[20]));
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", data, "--out", CliRunner.TempDir(), "--quiet"), contains: "--image-size");
    }

    [Fact]
    public void Train_counts_the_validation_samples_apart()
    {
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run([.. CliRunner.TinyTrain(dir, "--epochs", "1").Where(a => a != "--quiet")]);
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("58 training, 6 validation, 100 test samples", r.Out); // 64 sprites, a tenth held out
        Assert.Contains("completed: 1 epoch,", r.Out);
    }
}
