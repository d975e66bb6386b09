using System.Globalization;
using Latent.Models.Autoencoder;

namespace Latent.Models.Vae;

/// <summary>
/// Options of the variational autoencoder (Kingma &amp; Welling 2014, "Auto-Encoding Variational Bayes", ICLR).
/// The defaults follow the paper's MNIST set-up (§5, appendix C): one hidden layer of 500 units and a 20-dimensional
/// latent space, Bernoulli decoder, β = 1 (the plain ELBO). Hidden units default to ReLU (the paper used tanh with
/// Adagrad; ReLU trains better with Adam, as in the <c>ae</c> family). The seed VAE is
/// <c>arch=784-128-20 hidden=relu output=bernoulli</c>.
/// </summary>
public record VaeOptions : ModelOptions
{
    /// <summary>Layer sizes from the input to the latent size Z, e.g. "784-128-20". The encoder's last layer has
    /// 2Z outputs (μ and log σ²); the decoder mirrors the sizes from Z back to the input.</summary>
    public string Architecture { get; init; } = "784-500-20";

    /// <summary>Activation after every hidden layer.</summary>
    public string HiddenActivation { get; init; } = "relu";

    /// <summary>Decoder likelihood p(x|z): Bernoulli (logits, BCE summed per sample) or Gaussian with unit variance
    /// (−log p(x|z) = ½‖x − x̂‖² + (D/2) log 2π).</summary>
    public OutputDistribution Output { get; init; } = OutputDistribution.Bernoulli;

    /// <summary>The encoder/decoder family, as in <see cref="AutoencoderOptions.Network"/>.</summary>
    public string Network { get; init; } = "mlp";

    /// <summary>Weight β of the KL term (Higgins et al. 2017); 1 gives the ELBO of Kingma &amp; Welling.</summary>
    public float Beta { get; init; } = 1f;

    /// <summary>The latent size Z (the last entry of <see cref="Architecture"/>).</summary>
    public int LatentSize => AutoencoderOptions.ParseArchitecture(Architecture)[^1];

    /// <summary>
    /// The <see cref="AutoencoderOptions"/> that <see cref="AutoencoderNetworks.Build"/> turns into a network whose
    /// code has <paramref name="codeSize"/> units (2Z for the encoder, Z for the decoder); linear code units.
    /// </summary>
    public AutoencoderOptions NetworkOptions(int codeSize)
    {
        var sizes = AutoencoderOptions.ParseArchitecture(Architecture);
        sizes[^1] = codeSize;
        return new AutoencoderOptions
        {
            Architecture = string.Join('-', sizes),
            HiddenActivation = HiddenActivation,
            CodeActivation = "none",
            Output = Output,
            Network = Network,
        };
    }

    /// <summary>Checks every option; throws ArgumentException naming the bad one.</summary>
    public virtual void Validate()
    {
        NetworkOptions(LatentSize).Validate();
        if (!(Beta >= 0f) || float.IsInfinity(Beta))
            throw new ArgumentException($"vae: beta {Beta} must be finite and >= 0", nameof(Beta));
    }

    /// <summary>Options from "key=value" settings over the defaults. Keys: arch, hidden, output (bernoulli|gaussian), network, beta.</summary>
    public static VaeOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new VaeOptions();
        foreach (var (key, value) in settings)
            o = Apply(o, key, value) ?? throw new ArgumentException($"vae: unknown option '{key}' (expected {CommonKeys})", nameof(settings));
        o.Validate();
        return o;
    }

    /// <summary>The keys every VAE variant reads.</summary>
    protected const string CommonKeys = "arch, hidden, output, network, beta";

    /// <summary>Applies one common setting to <paramref name="o"/> (keeping its runtime type), or null when the key is not a common one.</summary>
    protected static T? Apply<T>(T o, string key, string value) where T : VaeOptions => key.ToLowerInvariant() switch
    {
        "arch" or "architecture" => o with { Architecture = value },
        "hidden" or "activation" => o with { HiddenActivation = value },
        "output" => o with { Output = ParseOutput(value) },
        "network" => o with { Network = value },
        "beta" => o with { Beta = ParseFloat(value, nameof(Beta)) },
        _ => null,
    };

    /// <summary>A float in invariant culture; ArgumentException naming <paramref name="option"/> otherwise.</summary>
    protected static float ParseFloat(string value, string option) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) && float.IsFinite(f)
            ? f
            : throw new ArgumentException($"vae: {option} '{value}' is not a number", option);

    private static OutputDistribution ParseOutput(string value) => value.ToLowerInvariant() switch
    {
        "bernoulli" or "bce" or "logits" => OutputDistribution.Bernoulli,
        "gaussian" or "mse" or "linear" => OutputDistribution.Gaussian,
        _ => throw new ArgumentException($"vae: output '{value}' is not bernoulli (bce) or gaussian (mse)", nameof(Output)),
    };

    /// <summary>Formats a float for <see cref="ToText"/>.</summary>
    protected static string Format(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToText() =>
        $"arch={Architecture} hidden={HiddenActivation} output={Output.ToString().ToLowerInvariant()} network={Network} beta={Format(Beta)}";
}
