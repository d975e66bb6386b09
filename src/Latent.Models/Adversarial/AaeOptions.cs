using System.Globalization;
using Latent.Models.Autoencoder;

namespace Latent.Models.Adversarial;

/// <summary>
/// Options of the adversarial autoencoder. Defaults follow Makhzani et al. 2015 ("Adversarial Autoencoders", §2 and
/// appendix): encoder, decoder and discriminator with two hidden layers of 1000 ReLU units, an 8-dimensional code
/// with a standard Gaussian prior, Bernoulli output. The mixture prior has 10 components on a ring (the paper's
/// Fig. 2, radius 4, standard deviation 0.5 per component here). The adversarial phases use Adam with β₁ = 0.5
/// (Radford et al. 2016, the usual setting for adversarial training) at <see cref="AdversarialLearningRate"/>
/// instead of the paper's SGD with momentum; the reconstruction phase uses the trainer's optimizer.
/// </summary>
public sealed record AaeOptions : ModelOptions
{
    /// <summary>Layer sizes from the input to the code, e.g. "784-1000-1000-8"; the decoder mirrors them.</summary>
    public string Architecture { get; init; } = "784-1000-1000-8";

    /// <summary>Activation after every hidden layer of encoder and decoder.</summary>
    public string HiddenActivation { get; init; } = "relu";

    /// <summary>Output layer and reconstruction loss, as in <see cref="AutoencoderOptions.Output"/>.</summary>
    public OutputDistribution Output { get; init; } = OutputDistribution.Bernoulli;

    /// <summary>The encoder/decoder family, as in <see cref="AutoencoderOptions.Network"/>.</summary>
    public string Network { get; init; } = "mlp";

    /// <summary>Hidden layer sizes of the discriminator D: code → hidden... → 1 logit, e.g. "1000-1000".</summary>
    public string Discriminator { get; init; } = "1000-1000";

    /// <summary>The prior p(z).</summary>
    public AaePrior Prior { get; init; } = AaePrior.Gaussian;

    /// <summary>Number of mixture components for <see cref="AaePrior.Mixture"/>.</summary>
    public int Components { get; init; } = 10;

    /// <summary>Learning rate of the discriminator and generator (encoder) updates.</summary>
    public float AdversarialLearningRate { get; init; } = 2e-4f;

    /// <summary>The options the encoder/decoder builder reads (linear code units).</summary>
    public AutoencoderOptions NetworkOptions() => new()
    {
        Architecture = Architecture,
        HiddenActivation = HiddenActivation,
        CodeActivation = "none",
        Output = Output,
        Network = Network,
    };

    /// <summary>The parsed <see cref="Discriminator"/> hidden sizes (possibly empty: a linear discriminator).</summary>
    public int[] DiscriminatorSizes()
    {
        if (string.IsNullOrWhiteSpace(Discriminator) || Discriminator == "0") return [];
        var parts = Discriminator.Split('-');
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] <= 0)
                throw new ArgumentException($"aae: discriminator '{Discriminator}': '{parts[i]}' (entry {i + 1}) is not a positive integer", nameof(Discriminator));
        return sizes;
    }

    /// <summary>Checks every option; throws ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        NetworkOptions().Validate();
        _ = DiscriminatorSizes();
        if (!Enum.IsDefined(Prior)) throw new ArgumentException($"aae: prior {(int)Prior} is not gaussian or mixture", nameof(Prior));
        if (Components < 1) throw new ArgumentException($"aae: components {Components} must be >= 1", nameof(Components));
        if (!(AdversarialLearningRate > 0f) || float.IsInfinity(AdversarialLearningRate))
            throw new ArgumentException($"aae: adversarial learning rate {AdversarialLearningRate} must be finite and > 0", nameof(AdversarialLearningRate));
    }

    /// <summary>Options from "key=value" settings over the defaults. Keys: arch, hidden, output, network, disc,
    /// prior (gaussian|mixture), components, adv_lr.</summary>
    public static AaeOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new AaeOptions();
        foreach (var (key, value) in settings)
        {
            o = key.ToLowerInvariant() switch
            {
                "arch" or "architecture" => o with { Architecture = value },
                "hidden" or "activation" => o with { HiddenActivation = value },
                "output" => o with { Output = value.ToLowerInvariant() switch
                {
                    "bernoulli" or "bce" or "logits" => OutputDistribution.Bernoulli,
                    "gaussian" or "mse" or "linear" => OutputDistribution.Gaussian,
                    _ => throw new ArgumentException($"aae: output '{value}' is not bernoulli (bce) or gaussian (mse)", nameof(Output)),
                } },
                "network" => o with { Network = value },
                "disc" or "discriminator" => o with { Discriminator = value },
                "prior" => o with { Prior = value.ToLowerInvariant() switch
                {
                    "gaussian" or "normal" => AaePrior.Gaussian,
                    "mixture" or "mog" => AaePrior.Mixture,
                    _ => throw new ArgumentException($"aae: prior '{value}' is not gaussian or mixture", nameof(Prior)),
                } },
                "components" => o with { Components = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int c)
                    ? c : throw new ArgumentException($"aae: components '{value}' is not a positive integer", nameof(Components)) },
                "adv_lr" => o with { AdversarialLearningRate = float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float lr)
                    ? lr : throw new ArgumentException($"aae: adv_lr '{value}' is not a number", nameof(AdversarialLearningRate)) },
                _ => throw new ArgumentException($"aae: unknown option '{key}' (expected arch, hidden, output, network, disc, prior, components, adv_lr)", nameof(settings)),
            };
        }
        o.Validate();
        return o;
    }

    /// <inheritdoc />
    public override string ToText() =>
        $"arch={Architecture} hidden={HiddenActivation} output={Output.ToString().ToLowerInvariant()} network={Network} " +
        $"disc={Discriminator} prior={Prior.ToString().ToLowerInvariant()} components={Components} " +
        $"adv_lr={AdversarialLearningRate.ToString("R", CultureInfo.InvariantCulture)}";
}
