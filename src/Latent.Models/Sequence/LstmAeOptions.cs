using Latent.Models.Autoencoder;
using Latent.Models.Options;

namespace Latent.Models.Sequence;

/// <summary>
/// Options of the LSTM sequence autoencoder (Srivastava, Mansimov &amp; Salakhutdinov 2015, "Unsupervised Learning of
/// Video Representations using LSTMs", ICML; Malhotra et al. 2016, "LSTM-based Encoder-Decoder for Multi-sensor Anomaly
/// Detection", ICML workshop). Defaults: an LSTM of 64 units each way, a 16-number code, the decoder reconstructing the
/// sequence in reverse order as both papers do, Bernoulli output (frames in [0, 1]; standardised CSV windows get
/// <c>output=gaussian</c> automatically).
/// </summary>
public record LstmAeOptions : ModelOptions
{
    /// <summary>cell, hidden, code (the code size for <c>--code</c>), reverse, output.</summary>
    public static readonly OptionSchema<LstmAeOptions> Schema = new OptionSchema<LstmAeOptions>("lstm-ae")
        .OneOf(o => o.Cell, "cell", ["lstm", "gru"], "recurrent cell of the encoder and the decoder: LSTM (Hochreiter & Schmidhuber 1997) or GRU (Cho et al. 2014)")
        .Int(o => o.Hidden, "hidden", "[1, inf)", "state size H of the encoder and of the decoder cell")
        .Int(o => o.CodeSize, "code", "[1, inf)", "code size Z (a linear map of the encoder's last state)", OptionRole.CodeSize, aliases: ["z"])
        .Bool(o => o.Reverse, "reverse", "the decoder emits the sequence last step first (Srivastava 2015, Malhotra 2016)")
        .Choice(o => o.Output, "output", "per-step likelihood: bernoulli (logits, data in [0,1]) or gaussian (unit variance, standardised data)", ("bce", OutputDistribution.Bernoulli), ("mse", OutputDistribution.Gaussian));

    /// <summary>"lstm" or "gru".</summary>
    public string Cell { get; init; } = "lstm";

    /// <summary>State size H of both cells.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Code size Z.</summary>
    public int CodeSize { get; init; } = 16;

    /// <summary>The decoder emits x_{T−1} first and x_0 last (the papers' order: the first steps decoded are the last seen).</summary>
    public bool Reverse { get; init; } = true;

    /// <summary>Per-step likelihood p(x_t|z).</summary>
    public OutputDistribution Output { get; init; } = OutputDistribution.Bernoulli;

    /// <inheritdoc />
    public override OptionSchema GetSchema() => Schema;

    /// <inheritdoc />
    protected override void CheckCombinations()
    {
        if (Output == OutputDistribution.Tanh)
            throw Invalid("output", "the recurrent models' per-step likelihood is bernoulli or gaussian");
    }
}
