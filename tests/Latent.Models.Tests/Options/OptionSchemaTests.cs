using Latent.Models.Options;
using Latent.Models.TdVae;
using Latent.Models.Vae;
using Latent.Models.VqVae;
using Latent.Models.VqVae2;

namespace Latent.Models.Tests.Options;

public class OptionSchemaTests
{
    private static Dictionary<string, string> Set(string key, string value) => new() { [key] = value };

    /// <summary>The message without the " (Parameter 'X')" that ArgumentException appends (the CLI prints it without).</summary>
    internal static string Message(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    [Theory]
    [InlineData("ae", "arch=784-1000-500-250-30 hidden=relu code=none output=bernoulli network=mlp tied=false activity_l2=0")]
    [InlineData("stacked-ae", "arch=784-1000-500-250-30 hidden=sigmoid code=none output=bernoulli network=mlp tied=false activity_l2=0 pretrain_epochs=50")]
    [InlineData("dae", "arch=784-1000 hidden=relu code=sigmoid output=bernoulli network=mlp tied=false activity_l2=0 noise=masking:0.25")]
    [InlineData("dropout-ae", "arch=784-1000-500-250-30 hidden=relu code=none output=bernoulli network=mlp tied=false activity_l2=0 rate=0.5 placement=both")]
    [InlineData("sparse-ae", "arch=784-196 hidden=sigmoid code=sigmoid output=bernoulli network=mlp tied=false activity_l2=0 penalty=kl rho=0.05 beta=18 lambda=0.1 decay=0.0001")]
    [InlineData("k-sparse-ae", "arch=784-1000 hidden=relu code=none output=gaussian network=mlp tied=false activity_l2=0 k=25 alpha=1 k_start=100 anneal=0.5")]
    [InlineData("contractive-ae", "arch=784-1000 hidden=relu code=sigmoid output=bernoulli network=mlp tied=false activity_l2=0 lambda=0.1 jacobian=auto")]
    [InlineData("vae", "arch=784-500-20 hidden=relu output=bernoulli network=mlp beta=1")]
    [InlineData("beta-vae", "arch=784-500-20 hidden=relu output=bernoulli network=mlp beta=4 objective=beta gamma=1000 capacity=25")]
    [InlineData("aae", "arch=784-1000-1000-8 hidden=relu output=bernoulli network=mlp disc=1000-1000 prior=gaussian components=10 adv_lr=0.0002")]
    [InlineData("vq-vae", "k=128 d=16 hidden=64 res_hidden=32 res_blocks=2 beta=0.25 ema=false decay=0.99 eps=1E-05 restart=0 prior_layers=8 prior_channels=64 prior_kernel=3 prior_classes=0")]
    [InlineData("vq-vae-2", "k_top=128 k_bottom=128 d=16 hidden=64 res_hidden=32 res_blocks=2 beta=0.25 ema=true decay=0.99 eps=1E-05 restart=0 prior_layers=8 prior_channels=64 prior_kernel=3 prior_classes=0 prior_attention=true prior_heads=4")]
    [InlineData("dvae", "network=conv categories=512 latents=32 embedding=64 hidden=512-256 channels=64 beta=6.6 beta_warmup=0.05 tau_start=1 tau_end=0.0625 tau_anneal=1")]
    [InlineData("td-vae", "hidden=128 belief=64 state=8 max_jump=4 pairs=4 gated=true residual=false")]
    public void Default_text_is_the_one_model_files_were_written_with(string model, string text)
    {
        var info = ModelRegistry.Get(model);
        Assert.Equal(text, info.DefaultOptionsText);
        Assert.Equal(info.Defaults, info.Schema.Parse(Models.IO.ModelFile.ParseOptionsText(text)));
    }

    [Theory]
    [InlineData("td-vae", "hidden=128 belief=64 state=8 max_jump=4 pairs=4", "hidden=128 belief=64 state=8 max_jump=4 pairs=4 gated=false residual=true")]
    [InlineData("dae", "arch=784-1000 hidden=relu code=sigmoid output=bernoulli network=mlp noise=masking:0.25",
        "arch=784-1000 hidden=relu code=sigmoid output=bernoulli network=mlp tied=false activity_l2=0 noise=masking:0.25")]
    [InlineData("vq-vae-2", "k_top=64 k_bottom=32 d=16 hidden=64 res_hidden=32 res_blocks=2 beta=0.25 ema=true decay=0.99 eps=1E-05 restart=0 prior_layers=8 prior_channels=64 prior_kernel=3 prior_classes=0",
        "k_top=64 k_bottom=32 d=16 hidden=64 res_hidden=32 res_blocks=2 beta=0.25 ema=true decay=0.99 eps=1E-05 restart=0 prior_layers=8 prior_channels=64 prior_kernel=3 prior_classes=0 prior_attention=false prior_heads=4")]
    [InlineData("vq-vae", "k=1 d=16 hidden=64 res_hidden=32 res_blocks=2 beta=0.25 ema=false decay=0.99 eps=1E-05 restart=0 prior_layers=8 prior_channels=64 prior_kernel=3 prior_classes=0",
        "k=1 d=16 hidden=64 res_hidden=32 res_blocks=2 beta=0.25 ema=false decay=0.99 eps=1E-05 restart=0 prior_layers=8 prior_channels=64 prior_kernel=3 prior_classes=0")]
    public void Options_text_of_older_model_files_still_reads(string model, string saved, string read)
    {
        // What ModelFile.Load does with a model.json: the saved text, and the legacy value of every key it does not name.
        var info = ModelRegistry.Get(model);
        var settings = Models.IO.ModelFile.ParseOptionsText(saved);
        foreach (var (key, value) in info.LegacyOptions) settings.TryAdd(key, value);
        Assert.Equal(read, info.Schema.Parse(settings).ToText());
    }

    [Fact]
    public void Every_family_declares_every_key_of_its_text_once_with_a_doc_and_an_allowed_default()
    {
        foreach (var info in ModelRegistry.All)
        {
            var schema = info.Schema;
            Assert.Equal(info.Name, schema.Model);
            var keys = Models.IO.ModelFile.ParseOptionsText(info.DefaultOptionsText).Keys;
            Assert.Equal(schema.Options.Select(o => o.Key), keys);
            var all = schema.Options.SelectMany(o => o.Aliases.Prepend(o.Key)).ToList();
            Assert.Equal(all.Count, all.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(schema.Options, o => Assert.False(string.IsNullOrWhiteSpace(o.Doc), $"{info.Name}: {o.Key}"));
            Assert.All(schema.Options, o => Assert.DoesNotContain('|', o.Doc + o.Allowed));
            info.Defaults.Validate();
        }
    }

    [Fact]
    public void Errors_name_the_model_the_key_as_written_the_value_and_what_is_allowed()
    {
        var e = Assert.Throws<ArgumentException>(() => VqVaeOptions.Schema.Parse(Set("codebook", "0")));
        Assert.Equal("vq-vae: option 'codebook' = 0: must be an integer in [1, 65536]", Message(e));
        Assert.Equal("CodebookSize", e.ParamName);
        Assert.Equal("vq-vae: option 'decay' = 1: must be a number in (0, 1)", Message(Assert.Throws<ArgumentException>(() => VqVaeOptions.Schema.Parse(Set("decay", "1")))));
        Assert.Equal("vq-vae: option 'prior_kernel' = 4: must be odd", Message(Assert.Throws<ArgumentException>(() => VqVaeOptions.Schema.Parse(Set("prior_kernel", "4")))));
        Assert.StartsWith("vae: unknown option 'gamma' (expected arch, hidden, output, network, beta)", Assert.Throws<ArgumentException>(() => VaeOptions.Schema.Parse(Set("gamma", "1"))).Message);
        Assert.Equal("ae: option 'output' = poisson: must be one of bernoulli, gaussian, tanh",
            Message(Assert.Throws<ArgumentException>(() => ModelRegistry.Get("ae").Schema.Parse(Set("output", "poisson")))));
    }

    [Fact]
    public void The_two_level_model_reports_its_own_name_also_for_the_shared_keys()
    {
        var e = Assert.Throws<ArgumentException>(() => VqVae2Options.Schema.Parse(Set("d", "0")));
        Assert.Equal("vq-vae-2: option 'd' = 0: must be an integer in [1, inf)", Message(e));
        Assert.Equal("EmbeddingDim", e.ParamName);
        Assert.StartsWith("vq-vae-2:", Assert.Throws<ArgumentException>(() => new VqVae2Options { Decay = 2f }.Validate()).Message);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData("1")]
    [InlineData("")]
    public void Bools_are_true_or_false_in_every_family(string value)
    {
        Assert.Contains("must be true or false", Assert.Throws<ArgumentException>(() => VqVaeOptions.Schema.Parse(Set("ema", value))).Message);
        Assert.Contains("must be true or false", Assert.Throws<ArgumentException>(() => TdVaeOptions.Schema.Parse(Set("gated", value))).Message);
        Assert.True(VqVaeOptions.Schema.Parse(Set("ema", "TRUE")).Ema);
        Assert.False(TdVaeOptions.Schema.Parse(Set("gated", "False")).Gated);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e39")]
    [InlineData("1/0")]
    public void Numbers_that_are_not_finite_are_rejected(string value)
    {
        Assert.Equal("Beta", Assert.Throws<ArgumentException>(() => VqVaeOptions.Schema.Parse(Set("beta", value))).ParamName);
        Assert.Equal("Beta", Assert.Throws<ArgumentException>(() => VaeOptions.Schema.Parse(Set("beta", value))).ParamName);
        Assert.Equal("Beta", Assert.Throws<ArgumentException>(() => new VaeOptions { Beta = float.Parse(value == "1/0" ? "Infinity" : value, System.Globalization.CultureInfo.InvariantCulture) }.Validate()).ParamName);
    }

    [Fact]
    public void Fractions_are_read_for_every_real_option()
    {
        Assert.Equal(0.0625f, Models.Dvae.DvaeOptions.Schema.Parse(Set("tau_end", "1/16")).TemperatureEnd);
        Assert.Equal(0.125f, VqVaeOptions.Schema.Parse(Set("beta", "1/8")).Beta);
    }

    [Fact]
    public void A_range_that_closes_on_infinity_admits_it()
    {
        Assert.Equal(float.PositiveInfinity, Probe.Schema.Parse(Set("x", "Infinity")).X);
        Assert.Throws<ArgumentException>(() => Probe.Schema.Parse(Set("x", "NaN")));
        Assert.Equal("x=3 n=0", new Probe { X = 3 }.ToText());
    }

    [Fact]
    public void Declarations_are_checked()
    {
        Assert.Throws<ArgumentException>(() => new OptionSchema<Probe>("probe").Real(o => o.X, "x", "0..1", "x"));
        Assert.Throws<ArgumentException>(() => new OptionSchema<Probe>("probe").Real(o => o.X, "x", "[0, 1]", "x").Int(o => o.N, "X", "[0, 1]", "again"));
        Assert.Throws<ArgumentException>(() => new OptionSchema<Probe>("probe").Int(o => o.N, "two words", "[0, 1]", "n"));
        Assert.Throws<ArgumentException>(() => new OptionSchema<Probe>("probe").Int(o => o.N + 1, "n", "[0, 1]", "n"));
        // Options declared on an unrelated record cannot be included.
        Assert.Throws<ArgumentException>(() => new OptionSchema<Probe>("probe").Include(VqVaeOptions.Schema, "k"));
    }

    [Fact]
    public void Nested_network_options_set_the_nested_record_and_keep_the_runtime_type()
    {
        var o = Models.Stacked.StackedOptions.Schema.Parse(new Dictionary<string, string> { ["hidden"] = "tanh", ["pretrain_epochs"] = "3" });
        Assert.Equal("tanh", o.Network.HiddenActivation);
        Assert.Equal("784-1000-500-250-30", o.Network.Architecture);
        Assert.Equal(3, o.PretrainEpochs);
        var beta = BetaVaeOptions.Schema.Parse(new Dictionary<string, string> { ["arch"] = "16-4", ["gamma"] = "5" });
        Assert.IsType<BetaVaeOptions>(beta);
        Assert.Equal(("16-4", 5f, 4f), (beta.Architecture, beta.Gamma, beta.Beta));
    }

    private sealed record Probe : ModelOptions
    {
        public static readonly OptionSchema<Probe> Schema = new OptionSchema<Probe>("probe")
            .Real(o => o.X, "x", "[0, inf]", "x")
            .Int(o => o.N, "n", "[0, 1]", "n");

        public float X { get; init; }

        public int N { get; init; }

        public override OptionSchema GetSchema() => Schema;
    }
}
