using System.Text.Json;

namespace Latent.Cli.Tests;

/// <summary><c>latent models</c> (text, <c>--options</c>, <c>--json</c>) and model options checked before any data is read.</summary>
public class ModelOptionsTests
{
    [Fact]
    public void Models_json_lists_every_family_with_every_option()
    {
        var r = CliRunner.Run("models", "--json");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out.Trim());
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(Latent.Models.ModelRegistry.All.Select(m => m.Name), models.Keys);
        foreach (var info in Latent.Models.ModelRegistry.All)
        {
            var options = models[info.Name].GetProperty("options").EnumerateArray().ToList();
            Assert.Equal(info.Schema.Options.Select(o => o.Key), options.Select(o => o.GetProperty("key").GetString()));
            // The defaults in the JSON are the default options text, key by key.
            Assert.Equal(info.DefaultOptionsText, string.Join(' ', options.Select(o => $"{o.GetProperty("key").GetString()}={o.GetProperty("default").GetString()}")));
            foreach (var o in options)
                foreach (var field in new[] { "type", "allowed", "doc" })
                    Assert.False(string.IsNullOrEmpty(o.GetProperty(field).GetString()), $"{info.Name}.{o.GetProperty("key")}.{field}");
        }
        var k = models["vq-vae"].GetProperty("options")[0];
        Assert.Equal(("k", "int", "128", "[1, 65536]"), (k.GetProperty("key").GetString(), k.GetProperty("type").GetString(), k.GetProperty("default").GetString(), k.GetProperty("allowed").GetString()));
        Assert.Equal("codebook", k.GetProperty("aliases")[0].GetString());
        var output = models["ae"].GetProperty("options").EnumerateArray().Single(o => o.GetProperty("key").GetString() == "output");
        Assert.Equal(["bernoulli", "gaussian", "tanh"], output.GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("output", output.GetProperty("role").GetString());
    }

    [Fact]
    public void Models_options_prints_one_line_per_option()
    {
        var r = CliRunner.Run("models", "--options");
        Assert.Equal(0, r.Code);
        Assert.Contains("prior_attention", r.Out);
        Assert.Contains("[1, 65536]", r.Out);
        Assert.DoesNotContain("[1, 65536]", CliRunner.Run("models").Out);
    }

    [Theory]
    [InlineData("vq-vae: option 'codebook' = 0: must be an integer in [1, 65536]", "--model", "vq-vae", "--set", "codebook=0")]
    [InlineData("td-vae: option 'gated' = yes: must be true or false", "--model", "td-vae", "--set", "gated=yes")]
    [InlineData("k-sparse-ae: option 'k' = 40: must be in [1, code size 32]", "--model", "k-sparse-ae", "--code", "32", "--set", "k=40")]
    [InlineData("has no code-size option", "--model", "vq-vae", "--code", "8")]
    [InlineData("--prior-epochs -1", "--model", "vq-vae", "--prior-epochs", "-1")]
    public void A_bad_model_option_fails_before_any_data_is_read(string message, params string[] args)
    {
        // The data path does not exist: reading it would fail with "not found" instead of the option error.
        var dir = CliRunner.TempDir();
        var r = CliRunner.Run(["train", "--data", Path.Combine(dir, "no-such-table.csv"), "--out", dir, "--quiet", .. args]);
        CliRunner.AssertOneLineError(r, contains: message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public void Bad_data_options_of_a_trained_model_fail_before_the_model_is_read()
    {
        var missing = Path.Combine(CliRunner.TempDir(), "no-such-run");
        CliRunner.AssertOneLineError(CliRunner.Run("eval", missing, "--image-size", "0"), contains: "--image-size 0");
        CliRunner.AssertOneLineError(CliRunner.Run("eval", missing, "--samples", "1"), contains: "--samples 1");
    }
}
