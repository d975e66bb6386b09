using System.Text.Json.Nodes;
using Latent.Core;
using Latent.Core.IO;
using Latent.Models.IO;

namespace Latent.Models.Tests.IO;

public class ModelFileTests
{
    private static (string Dir, Latent.Models.Autoencoder.Autoencoder Model) Saved(ModelManifest? manifest = null)
    {
        var dir = TestData.TempDir();
        var model = TestData.SmallAe(seed: 3);
        ModelFile.Save(dir, model, manifest ?? Manifest());
        return (dir, model);
    }

    // The model fields are filled in by Save from the model itself.
    internal static ModelManifest Manifest() => new()
    {
        Model = "placeholder", Options = "", CodeSize = 1, InputShape = [1],
        Data = new DataDescription
        {
            Source = "table.csv", Kind = "csv", LabelColumn = "y", Mean = [1.5f, -2f], Std = [0.5f, 3f],
            TrainCount = 80, TestCount = 20, TestFraction = 0.2, Seed = ulong.MaxValue - 5,
        },
        Training = new Dictionary<string, string> { ["epochs"] = "3", ["optimizer"] = "adam" },
        Metrics = new Dictionary<string, double> { ["mse"] = 0.0125, ["sse_per_image"] = double.PositiveInfinity },
        TrainingScoreQuantiles = [0.5f, 1f, 4f],
    };

    private static void EditManifest(string dir, Action<JsonObject> edit)
    {
        string path = Path.Combine(dir, ModelFile.ManifestFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    private static InvalidModelFileException LoadFails(string dir) => Assert.Throws<InvalidModelFileException>(() => ModelFile.Load(dir));

    private static void IsOneLine(Exception e, string path, string fragment)
    {
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(path, e.Message);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Save_then_load_gives_the_same_weights_outputs_and_manifest()
    {
        var (dir, model) = Saved();
        Assert.True(ModelFile.Exists(dir));
        Assert.Equal(new[] { ModelFile.ManifestFileName, ModelFile.WeightsFileName },
            Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());

        var (loaded, manifest) = ModelFile.Load(dir);
        Assert.Equal(TestData.Weights(model), TestData.Weights(loaded));
        Assert.False(loaded.Training);
        model.Eval();
        var x = TestData.LowRankImages(5).Batch([0, 1, 2, 3, 4]);
        Assert.Equal(model.Reconstruct(x).ToArray(), loaded.Reconstruct(x).ToArray());

        Assert.Equal(ModelManifest.CurrentFormatVersion, manifest.FormatVersion);
        Assert.Equal("ae", manifest.Model);
        Assert.Equal(model.Options.ToText(), manifest.Options);
        Assert.Equal(model.CodeSize, manifest.CodeSize);
        Assert.Equal([1, 4, 4], manifest.InputShape);
        Assert.Equal(ModelFile.LatentVersion, manifest.LatentVersion);
        Assert.Equal("3", manifest.Training["epochs"]);
        Assert.Equal(0.0125, manifest.Metrics["mse"]);
        Assert.Equal(double.PositiveInfinity, manifest.Metrics["sse_per_image"]);
        Assert.Equal([0.5f, 1f, 4f], manifest.TrainingScoreQuantiles!);
    }

    [Fact]
    public void Saving_again_replaces_both_files()
    {
        var (dir, _) = Saved();
        var other = TestData.SmallAe(seed: 9);
        ModelFile.Save(dir, other, Manifest() with { Metrics = new Dictionary<string, double> { ["mse"] = 2 } });
        var (loaded, manifest) = ModelFile.Load(dir);
        Assert.Equal(TestData.Weights(other), TestData.Weights(loaded));
        Assert.Equal(2, manifest.Metrics["mse"]);
        Assert.Equal(2, Directory.GetFiles(dir).Length);
    }

    [Fact]
    public void Missing_folder_or_manifest_is_file_not_found()
    {
        var dir = TestData.TempDir();
        Assert.False(ModelFile.Exists(dir));
        Assert.Contains("is not a model folder", Assert.Throws<FileNotFoundException>(() => ModelFile.ReadManifest(dir)).Message);
        Assert.Contains("not found", Assert.Throws<FileNotFoundException>(() => ModelFile.Load(Path.Combine(dir, "absent"))).Message);
    }

    [Fact]
    public void Manifest_that_is_not_json_names_the_file()
    {
        var (dir, _) = Saved();
        string path = Path.Combine(dir, ModelFile.ManifestFileName);
        File.WriteAllText(path, "{ \"model\": \"ae\",\n  oops");
        IsOneLine(Assert.Throws<InvalidModelFileException>(() => ModelFile.ReadManifest(dir)), path, "not a valid model manifest");
        File.WriteAllText(path, "null");
        IsOneLine(Assert.Throws<InvalidModelFileException>(() => ModelFile.ReadManifest(path)), path, "the manifest is null");
    }

    [Theory]
    [InlineData("format_version", "2", "format version 2")]
    [InlineData("model", "\" \"", "'model' is empty")]
    [InlineData("options", "null", "'options' is missing")]
    [InlineData("input_shape", "[1,0,4]", "'input_shape' [1,0,4]")]
    [InlineData("input_shape", "null", "'input_shape' is missing")]
    [InlineData("code_size", "0", "'code_size' 0 must be positive")]
    public void Bad_manifest_fields_are_named(string key, string json, string fragment)
    {
        var (dir, _) = Saved();
        EditManifest(dir, m => m[key] = JsonNode.Parse(json));
        IsOneLine(LoadFails(dir), Path.Combine(dir, ModelFile.ManifestFileName), fragment);
    }

    [Fact]
    public void Normalisation_needs_mean_and_std_of_one_length()
    {
        var (dir, _) = Saved();
        EditManifest(dir, m => m["data"]!["std"] = null);
        IsOneLine(LoadFails(dir), Path.Combine(dir, ModelFile.ManifestFileName), "'data' mean and std");
        EditManifest(dir, m => m["data"]!["std"] = new JsonArray(1, 2, 3));
        IsOneLine(LoadFails(dir), Path.Combine(dir, ModelFile.ManifestFileName), "'data' mean and std");
    }

    [Fact]
    public void Unknown_model_bad_options_and_wrong_code_size_name_the_manifest()
    {
        var (dir, _) = Saved();
        string path = Path.Combine(dir, ModelFile.ManifestFileName);
        EditManifest(dir, m => m["model"] = "no-such-model");
        IsOneLine(LoadFails(dir), path, "no-such-model");
        EditManifest(dir, m => m["model"] = "ae");
        EditManifest(dir, m => m["options"] = "arch=16-8-3 nonsense");
        IsOneLine(LoadFails(dir), path, "cannot rebuild model 'ae'");
        EditManifest(dir, m => m["options"] = "arch=16-8 output=poisson");
        IsOneLine(LoadFails(dir), path, "cannot rebuild model 'ae' from options 'arch=16-8 output=poisson'");
        EditManifest(dir, m => m["options"] = "arch=16-8");
        IsOneLine(LoadFails(dir), path, "code size 3 does not match the model built from its options (8)");
        EditManifest(dir, m => m["options"] = TestData.SmallAe().Options.ToText());
        EditManifest(dir, m => m["code_size"] = 4);
        IsOneLine(LoadFails(dir), path, "code size 4 does not match");
    }

    [Fact]
    public void Missing_weights_file_is_file_not_found()
    {
        var (dir, _) = Saved();
        File.Delete(Path.Combine(dir, ModelFile.WeightsFileName));
        Assert.Contains(ModelFile.WeightsFileName, Assert.Throws<FileNotFoundException>(() => ModelFile.Load(dir)).Message);
    }

    [Fact]
    public void Missing_extra_or_misshaped_tensors_are_named()
    {
        var (dir, model) = Saved();
        EditManifest(dir, j => j.Remove("weights_sha256")); // a manifest that names no checksum: the tensors themselves are checked
        string path = Path.Combine(dir, ModelFile.WeightsFileName);
        var tensors = model.StateDict().ToList();
        string first = tensors[0].Name;

        SafeTensors.Write(path, tensors.Skip(1));
        IsOneLine(LoadFails(dir), path, $"tensor '{first}'");
        Assert.Contains("is missing", LoadFails(dir).Message);

        SafeTensors.Write(path, tensors.Append(("encoder.99.weight", Tensor.Zeros(2))));
        IsOneLine(LoadFails(dir), path, "unexpected tensor 'encoder.99.weight'");

        SafeTensors.Write(path, tensors.Select((t, i) => i == 0 ? (t.Name, Tensor.Zeros(t.Tensor.Size + 1)) : t));
        IsOneLine(LoadFails(dir), path, $"tensor '{first}' has shape [{tensors[0].Tensor.Size + 1}]");
    }

    [Fact]
    public void Options_text_parses_key_value_tokens()
    {
        var settings = ModelFile.ParseOptionsText("  arch=784-64  Output=bce note=a=b ");
        Assert.Equal("784-64", settings["ARCH"]);
        Assert.Equal("bce", settings["output"]);
        Assert.Equal("a=b", settings["note"]);
        Assert.Empty(ModelFile.ParseOptionsText(""));
        var e = Assert.Throws<ArgumentException>(() => ModelFile.ParseOptionsText("arch=1 =2"));
        Assert.Equal("text", e.ParamName);
        Assert.Contains("'=2' is not key=value", e.Message);
        Assert.Throws<ArgumentException>(() => ModelFile.ParseOptionsText("flag"));
    }
}
