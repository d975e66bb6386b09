using Latent.Models.Runs;

namespace Latent.Models.Tests.Runs;

public class ModelSettingsTests
{
    private static Dictionary<string, string> Build(string model, int[]? shape, string? arch = null, int? code = null,
        Dictionary<string, string>? set = null, bool standardised = false) =>
        ModelSettings.Build(ModelRegistry.Get(model), shape, arch, code, set, standardised);

    [Fact]
    public void Architecture_is_fitted_to_the_data_and_code_sets_its_last_size()
    {
        Assert.Equal("16-1000-500-250-8", Build("ae", [1, 4, 4], code: 8)["arch"]);
        Assert.Equal("784-1000-500-250-30", Build("ae", null)["arch"]);
        Assert.Equal("20-5", Build("vae", [16], arch: "20-7", code: 5)["arch"]); // a given architecture keeps its input size
        // The key as the user wrote it (an alias) receives --code.
        var aliased = Build("ae", [16], code: 3, set: new() { ["architecture"] = "16-8-4" });
        Assert.Equal("16-8-3", aliased["architecture"]);
        Assert.False(aliased.ContainsKey("arch"));
    }

    [Fact]
    public void Code_goes_to_the_declared_code_size_option_whatever_its_key()
    {
        Assert.Equal("5", Build("td-vae", [10, 1, 8, 8], code: 5)["state"]);
        Assert.Equal("6", Build("td-vae", null, code: 6, set: new() { ["z"] = "2" })["z"]);
        Assert.Contains("no code-size option", Assert.Throws<ArgumentException>(() => Build("vq-vae", [1, 28, 28], code: 4)).Message);
        Assert.Contains("no 'arch' option", Assert.Throws<ArgumentException>(() => Build("dvae", [1, 28, 28], arch: "784-8")).Message);
        Assert.Equal("code", Assert.Throws<ArgumentException>(() => Build("ae", [16], code: 0)).ParamName);
    }

    [Fact]
    public void Standardised_data_select_a_gaussian_output_unless_one_was_given()
    {
        Assert.Equal("gaussian", Build("vae", [21], standardised: true)["output"]);
        Assert.Equal("bce", Build("aae", [21], standardised: true, set: new() { ["OUTPUT"] = "bce" })["OUTPUT"]);
        Assert.False(Build("vq-vae", [1, 28, 28], standardised: true).ContainsKey("output"));
    }

    [Fact]
    public void Check_parses_the_options_of_a_run_without_data()
    {
        var run = new TrainingRunOptions { OutputDirectory = "unused", Model = "k-sparse-ae", CodeSize = 64, Settings = new Dictionary<string, string> { ["k"] = "10" } };
        var o = (Models.Sparse.KSparseOptions)ModelSettings.Check(ModelRegistry.Get(run.Model), run);
        Assert.Equal(("784-64", 10, 100), (o.Network.Architecture, o.K, o.KStart)); // the architecture keeps its default input size
        var bad = run with { Settings = new Dictionary<string, string> { ["k"] = "65" } };
        Assert.Equal("k-sparse-ae: option 'k' = 65: must be in [1, code size 64]",
            Options.OptionSchemaTests.Message(Assert.Throws<ArgumentException>(() => ModelSettings.Check(ModelRegistry.Get("k-sparse-ae"), bad))));
        Assert.Contains("--prior-epochs", Assert.Throws<ArgumentException>(() => ModelSettings.Check(ModelRegistry.Get("ae"), new TrainingRunOptions { OutputDirectory = "unused", PriorEpochs = -1 })).Message);
    }
}
