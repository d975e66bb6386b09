using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.Sequence;

/// <summary>
/// The LSTM sequence autoencoder (Srivastava, Mansimov &amp; Salakhutdinov 2015, "Unsupervised Learning of Video
/// Representations using LSTMs", ICML, §2.2; Malhotra et al. 2016, "LSTM-based Encoder-Decoder for Multi-sensor Anomaly
/// Detection" (LSTM-AD), ICML anomaly-detection workshop). One sample is a sequence x_{0..T−1} of frames [T, ...frame]
/// (F numbers per step: a CSV window [N, C] or moving-sprite frames [T, 1, H, W]). A single-channel image [1, H, W]
/// (MNIST, Fashion-MNIST) is read as a sequence of its H rows of W pixels, the classic "sequential MNIST" set-up.
/// <para>Encoder: h_t = cell(x_t, h_{t−1}), h_{−1} = 0 (an LSTM, or a GRU with <c>cell=gru</c>); code z = W_z h_{T−1} + b_z, [B, Z].</para>
/// <para>Decoder, unconditioned (no teacher forcing; the code is the only input, repeated at every step as in the Keras
/// "RepeatVector" autoencoder): s_{−1} = tanh(W_s z + b_s) (an LSTM's cell state starts at 0), s_k = cell'(z, s_{k−1}),
/// output o_k = W_o s_k + b_o, [B, F]; with <c>reverse=true</c> (the papers' choice) o_k reconstructs x_{T−1−k}, else x_k.</para>
/// <para>Loss: −log p(x|z) = Σ_t Σ_i BCE(o_t,i, x_t,i) (Bernoulli) or ½‖x − o‖² + (TF/2) log 2π (Gaussian), averaged over
/// the batch. <see cref="AutoencoderModel.Reconstruct"/> gives σ(o) or o in data space.</para>
/// </summary>
public class LstmAutoencoder : AutoencoderModel
{
    /// <summary>The registry entry ("lstm-ae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<LstmAeOptions>("lstm-ae",
        "Srivastava, Mansimov & Salakhutdinov 2015, Unsupervised Learning of Video Representations using LSTMs, ICML; Malhotra et al. 2016, LSTM-based Encoder-Decoder for Multi-sensor Anomaly Detection",
        "sequence autoencoder: LSTM/GRU encoder over the steps -> code, decoder cell unrolled from the code (reverse order) -> per-step output; sequences or CSV windows",
        (options, shape, rng) => new LstmAutoencoder(options, shape, rng)) with
    {
        DefaultData = "moving-sprites",
    };

    private readonly LstmAeOptions _options;
    private readonly RecurrentCell _encoderCell;
    private readonly Linear _codeHead;
    private readonly Linear _decoderInit;
    private readonly RecurrentCell _decoderCell;
    private readonly Linear _output;

    /// <summary>A sequence autoencoder for samples <paramref name="inputShape"/> = [T, ...frame], initialised from <paramref name="rng"/>.</summary>
    public LstmAutoencoder(LstmAeOptions options, int[] inputShape, Rng rng) : this(options, inputShape, rng, codeOutputs: 1)
    {
    }

    /// <summary>
    /// For variants: the code head has <paramref name="codeOutputs"/>·Z outputs (2 for a Gaussian code's μ and log σ²);
    /// the decoder reads Z numbers.
    /// </summary>
    protected LstmAutoencoder(LstmAeOptions options, int[] inputShape, Rng rng, int codeOutputs) : base(inputShape)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        if (inputShape.Length < 2)
            throw new ArgumentException($"{options.GetSchema().Model}: a sample is a sequence [T, ...frame], got {Shapes.Format(inputShape)} (train on windows of a CSV series with --window N, or on moving-sprites)", nameof(inputShape));
        _options = options;
        // A single-channel image [1, H, W]: the rows are the steps (the leading 1 is dropped; the memory layout is the same).
        var sequence = inputShape.Length >= 3 && inputShape[0] == 1 ? inputShape[1..] : inputShape;
        Steps = sequence[0];
        FrameShape = sequence[1..];
        int f = Shapes.Size(FrameShape), h = options.Hidden, z = options.CodeSize;
        _encoderCell = Add("encoder_cell", MakeCell(options.Cell, f, h, rng));
        _codeHead = Add("code", new Linear(h, codeOutputs * z, rng));
        _decoderInit = Add("decoder_init", new Linear(z, h, rng));
        _decoderCell = Add("decoder_cell", MakeCell(options.Cell, z, h, rng));
        _output = Add("output", new Linear(h, f, rng));
    }

    /// <inheritdoc />
    public override int CodeSize => _options.CodeSize;

    /// <inheritdoc />
    public override ModelOptions Options => _options;

    /// <summary>Shape of one step's frame: InputShape without T (without 1 and H for an image [1, H, W]: a row [W]).</summary>
    public int[] FrameShape { get; }

    /// <summary>Steps per sequence, T (H for a single-channel image [1, H, W]).</summary>
    public int Steps { get; }

    /// <summary>The encoder's last state h_{T−1} through the code head: x [B, T, ...frame] → [B, codeOutputs·Z].</summary>
    protected Tensor EncoderHead(Tensor x)
    {
        int b = x.Shape[0], f = Shapes.Size(FrameShape);
        var steps = x.Reshape(b, Steps, f);
        (Tensor H, Tensor C)? state = null;
        for (int t = 0; t < Steps; t++) Step(_encoderCell, steps.Narrow(1, t, 1).Reshape(b, f), ref state);
        return _codeHead.Forward(state!.Value.H);
    }

    /// <summary>The decoder's pre-output (logits or means) for codes z [B, Z] → [B, T, ...frame], in time order.</summary>
    public Tensor DecoderOutput(Tensor z)
    {
        CheckCode(z, nameof(DecoderOutput));
        int b = z.Shape[0];
        var h0 = _decoderInit.Forward(z).Tanh();
        (Tensor H, Tensor C)? state = (h0, Tensor.Zeros(b, _options.Hidden));
        var hs = new Tensor[Steps];
        for (int k = 0; k < Steps; k++)
        {
            var h = Step(_decoderCell, z, ref state);
            hs[_options.Reverse ? Steps - 1 - k : k] = h; // reverse: the k-th output reconstructs x_{T−1−k}
        }
        var all = Tensor.Stack(hs, 1).Reshape(b * Steps, _options.Hidden);
        return _output.Forward(all).Reshape([b, .. InputShape]);
    }

    /// <summary>p(x|z) for the decoder's pre-output [B, T, ...frame]: Bernoulli on logits or N(o, I).</summary>
    public IReconstructionLikelihood Likelihood(Tensor output) => _options.Output == OutputDistribution.Bernoulli
        ? new Bernoulli(output)
        : new GaussianLikelihood(output);

    /// <inheritdoc />
    public override Tensor Encode(Tensor x)
    {
        CheckInput(x, nameof(Encode));
        return EncoderHead(x);
    }

    /// <inheritdoc />
    public override Tensor Decode(Tensor z) => Likelihood(DecoderOutput(z)).Mean;

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckInput(x, nameof(Loss));
        ArgumentNullException.ThrowIfNull(ctx);
        var reconstruction = Likelihood(DecoderOutput(EncoderHead(x))).NegativeLogLikelihood(x).Mean();
        return new LossTerms(reconstruction, reconstruction);
    }

    // One step of an LSTM (state (h, c)) or a GRU (state (h, h)); returns the new h.
    private static Tensor Step(RecurrentCell cell, Tensor input, ref (Tensor H, Tensor C)? state)
    {
        if (cell is LstmCell lstm)
        {
            state = lstm.Forward(input, state);
            return state.Value.H;
        }
        var h = ((GruCell)cell).Forward(input, state?.H);
        state = (h, h);
        return h;
    }

    private static RecurrentCell MakeCell(string kind, int input, int hidden, Rng rng) =>
        kind.Equals("gru", StringComparison.OrdinalIgnoreCase) ? new GruCell(input, hidden, rng) : new LstmCell(input, hidden, rng);
}
