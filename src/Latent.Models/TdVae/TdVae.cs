using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Distributions;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.TdVae;

/// <summary>
/// Temporal Difference Variational Auto-Encoder, the single-layer version (Gregor, Papamakarios, Besse, Buesing &amp;
/// Weber 2019, "Temporal Difference Variational Auto-Encoder", ICLR, §3–4). One sample is a sequence x_{0..T−1}
/// [T, ...FrameShape]; a frame encoder and an LSTM give the belief states b_t = LSTM(enc(x_t), b_{t−1}).
/// <para>The four diagonal-Gaussian distributions of the paper:
/// belief p_B(z_t | b_t); smoothing q_S(z_t1 | z_t2, b_t1, b_t2); transition p_T(z_t2 | z_t1); decoder p_D(x_t2 | z_t2)
/// (Bernoulli on the pixels). Because a jump δ = t2 − t1 is random, q_S and p_T also read δ/MaxJump. By default the three
/// Gaussian heads are the paper's gated "D" layers, t = tanh(W₁h) ⊙ σ(W₂h), [μ, log σ²] = W₃t (appendix), and the
/// transition mean is D(z_t1, δ) itself; <see cref="TdVaeOptions.ResidualTransition"/> makes it z_t1 + D(z_t1, δ)
/// instead (starts near "no change", and then the state does not learn the velocity on moving sprites);
/// <see cref="TdVaeOptions.Gated"/> = false uses ReLU MLPs.</para>
/// <para>Training samples pairs t1 &lt; t2 with δ uniform in [1, MaxJump] and maximises the paper's TD-VAE bound
/// (eq. 8), written as a loss to minimise:</para>
/// <para>  −L = E[ −log p_D(x_t2|z_t2) − log p_B(z_t1|b_t1) − log p_T(z_t2|z_t1) + log p_B(z_t2|b_t2) + log q_S(z_t1|z_t2,b_t1,b_t2) ],</para>
/// <para>with z_t2 ~ p_B(·|b_t2), then z_t1 ~ q_S(·|z_t2, b_t1, b_t2), both by the reparameterisation z = μ + e^{½logσ²}·ε,
/// ε ~ N(0, I). The pair log q_S − log p_B(z_t1|b_t1) is taken in closed form as KL(q_S ‖ p_B(·|b_t1)) ("kl_smoothing");
/// the other two log-densities are single-sample estimates ("transition_nll" = −log p_T, "belief_log_prob" = log p_B(z_t2|b_t2)).
/// <see cref="LossTerms.Reconstruction"/> is −log p_D and <see cref="LossTerms.Regularisation"/> the rest; all are per pair,
/// averaged over pairs.</para>
/// <para>Rollout (<see cref="Rollout(Tensor, int, Rng)"/>): z ~ p_B(·|b_last), then z ← sample of p_T(·|z, δ) repeatedly,
/// each state decoded to the mean frame σ(p_D logits) — the "jumpy" imagination of the paper's figures.
/// <see cref="PredictAhead"/> can instead follow the means μ_B, μ_T: a point prediction, which is what
/// <see cref="TdVaeEvaluation.JumpyPrediction"/> scores (a single sample adds the belief's and the transition's noise to
/// the position error).</para>
/// </summary>
public sealed class TdVae : AutoencoderModel, ISequenceModel
{
    /// <summary>The registry entry ("td-vae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<TdVaeOptions>("td-vae",
        "Gregor, Papamakarios, Besse, Buesing & Weber 2019, Temporal Difference Variational Auto-Encoder, ICLR",
        "sequence model: LSTM belief states, belief/smoothing/transition/decoder Gaussians trained on jumpy pairs t1<t2; rolls out future frames",
        (options, shape, rng) => new TdVae(options, shape, rng)) with
    {
        DefaultData = "moving-sprites",
        // Files saved before the gated heads and the plain transition became the defaults.
        LegacyOptions = new Dictionary<string, string> { ["gated"] = "false", ["residual"] = "true" },
    };

    private readonly TdVaeOptions _options;
    private readonly Sequential _frameEncoder;
    private readonly LstmCell _lstm;
    private readonly GaussianHead _belief;
    private readonly GaussianHead _smoothing;
    private readonly GaussianHead _transition;
    private readonly Sequential _decoder;

    /// <summary>A TD-VAE for sequences <paramref name="inputShape"/> = [T, ...FrameShape] (T ≥ 2), initialised from <paramref name="rng"/>.</summary>
    public TdVae(TdVaeOptions options, int[] inputShape, Rng rng) : base(inputShape)
    {
        ModelOptions.Checked(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (inputShape.Length < 2 || inputShape[0] < 2)
            throw new ArgumentException($"td-vae: a sample is a sequence [T, ...frame] with T >= 2, got {Shapes.Format(inputShape)}", nameof(inputShape));
        _options = options;
        FrameShape = inputShape[1..];
        int p = Shapes.Size(FrameShape), h = options.Hidden, bs = options.BeliefSize, z = options.StateSize;
        _frameEncoder = Add("frame_encoder", new Sequential(
            new BatchReshape([p]), new Linear(p, h, rng), Activation.Relu(), new Linear(h, h, rng), Activation.Relu()));
        _lstm = Add("belief_lstm", new LstmCell(h, bs, rng));
        _belief = Add("belief", new GaussianHead(bs, h, z, rng, options.Gated));
        _smoothing = Add("smoothing", new GaussianHead(z + 2 * bs + 1, h, z, rng, options.Gated));
        _transition = Add("transition", new GaussianHead(z + 1, h, z, rng, options.Gated));
        _decoder = Add("decoder", new Sequential(
            new Linear(z, h, rng), Activation.Relu(), new Linear(h, h, rng), Activation.Relu(), new Linear(h, p, rng), new BatchReshape(FrameShape)));
    }

    /// <summary>The state size Z: <see cref="Encode"/> returns the belief mean at the last frame.</summary>
    public override int CodeSize => _options.StateSize;

    /// <inheritdoc />
    public override ModelOptions Options => _options;

    /// <inheritdoc />
    public int[] FrameShape { get; }

    /// <summary>Frames per training sequence, T.</summary>
    public int SequenceLength => InputShape[0];

    /// <summary>The largest trained jump.</summary>
    public int MaxJump => _options.MaxJump;

    /// <summary>Belief states b_t for frames [B, T', ...FrameShape] (any T' ≥ 1) → [B, T', BeliefSize].</summary>
    public Tensor Beliefs(Tensor frames)
    {
        CheckFrames(frames, nameof(Beliefs));
        int b = frames.Shape[0], t = frames.Shape[1];
        var encoded = _frameEncoder.Forward(frames.Reshape([b * t, .. FrameShape])).Reshape(b, t, _options.Hidden);
        (Tensor H, Tensor C)? state = null;
        var hs = new Tensor[t];
        for (int i = 0; i < t; i++)
        {
            state = _lstm.Forward(encoded.Narrow(1, i, 1).Reshape(b, _options.Hidden), state);
            hs[i] = state.Value.H;
        }
        return Tensor.Stack(hs, 1);
    }

    /// <summary>p_B(z | b): b [M, BeliefSize] → N(μ, diag σ²) with μ, log σ² [M, Z].</summary>
    public DiagonalGaussian Belief(Tensor b) => _belief.Forward(b);

    /// <summary>p_T(z_t2 | z_t1) for a jump of <paramref name="jump"/> [M] steps: z_t1 [M, Z] → N(μ, diag σ²) with μ = f(z_t1, δ) (z_t1 + f when residual), [M, Z].</summary>
    public DiagonalGaussian Transition(Tensor z1, Tensor jump)
    {
        var head = _transition.Forward(Tensor.Concat([z1, JumpFeature(jump)], 1));
        return _options.ResidualTransition ? new DiagonalGaussian(z1 + head.Mean, head.LogVariance) : head;
    }

    /// <summary>q_S(z_t1 | z_t2, b_t1, b_t2) for jumps [M]: → N(μ, diag σ²) with μ, log σ² [M, Z].</summary>
    public DiagonalGaussian Smoothing(Tensor z2, Tensor b1, Tensor b2, Tensor jump) =>
        _smoothing.Forward(Tensor.Concat([z2, b1, b2, JumpFeature(jump)], 1));

    /// <summary>p_D(x | z) logits: z [M, Z] → [M, ...FrameShape].</summary>
    public Tensor DecoderLogits(Tensor z) => _decoder.Forward(z);

    /// <summary>x [B, T, ...FrameShape] → the belief mean μ_B(b_{T−1}) [B, Z]: the state after seeing the whole sequence.</summary>
    public override Tensor Encode(Tensor x)
    {
        CheckInput(x, nameof(Encode));
        var beliefs = Beliefs(x);
        return Belief(beliefs.Narrow(1, SequenceLength - 1, 1).Reshape(x.Shape[0], _options.BeliefSize)).Mean;
    }

    /// <summary>
    /// z [B, Z] → the trajectory of T frames [B, T, ...FrameShape] that starts in state z and follows the transition
    /// means with jump 1, each decoded to σ(p_D logits). (Decode(Encode(x)) therefore continues x; see <see cref="Reconstruct"/>.)
    /// </summary>
    public override Tensor Decode(Tensor z)
    {
        CheckCode(z, nameof(Decode));
        int b = z.Shape[0];
        var ones = Tensor.Ones(b);
        var frames = new Tensor[SequenceLength];
        for (int t = 0; t < SequenceLength; t++)
        {
            if (t > 0) z = Transition(z, ones).Mean;
            frames[t] = DecoderLogits(z).Sigmoid();
        }
        return Tensor.Stack(frames, 1);
    }

    /// <summary>Filtering reconstruction: x [B, T, ...] → σ(p_D(μ_B(b_t))) for every t, [B, T, ...FrameShape].</summary>
    public override Tensor Reconstruct(Tensor x)
    {
        CheckInput(x, nameof(Reconstruct));
        int b = x.Shape[0], t = SequenceLength;
        var mu = Belief(Beliefs(x).Reshape(b * t, _options.BeliefSize)).Mean;
        return DecoderLogits(mu).Sigmoid().Reshape(InputShape.Prepend(b).ToArray());
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        int b = x.Shape[0], t = SequenceLength, bs = _options.BeliefSize, z = _options.StateSize;
        var beliefs = Beliefs(x).Reshape(b * t, bs);
        var frames = x.Reshape([b * t, .. FrameShape]);

        // Pairs t1 < t2 = t1 + δ, δ uniform in [1, min(MaxJump, T−1)], t1 uniform where it fits.
        int pairs = _options.PairsPerSequence, m = b * pairs, maxJump = Math.Min(_options.MaxJump, t - 1);
        var i1 = new int[m];
        var i2 = new int[m];
        var jumps = new float[m];
        for (int p = 0; p < pairs; p++)
        {
            for (int s = 0; s < b; s++)
            {
                int delta = 1 + ctx.Rng.NextInt(maxJump);
                int t1 = ctx.Rng.NextInt(t - delta);
                i1[p * b + s] = s * t + t1;
                i2[p * b + s] = s * t + t1 + delta;
                jumps[p * b + s] = delta;
            }
        }
        var jump = new Tensor(jumps, m);
        var b1 = beliefs.IndexSelect(0, i1);
        var b2 = beliefs.IndexSelect(0, i2);
        var x2 = frames.IndexSelect(0, i2);

        // z_t2 ~ p_B(·|b_t2), z_t1 ~ q_S(·|z_t2, b_t1, b_t2): the reparameterisation z = μ + e^{½ log σ²} ε.
        var beliefT2 = Belief(b2);
        var z2 = beliefT2.Sample(ctx.Rng);
        var smoothing = Smoothing(z2, b1, b2, jump);
        var z1 = smoothing.Sample(ctx.Rng);
        var beliefT1 = Belief(b1);
        var transition = Transition(z1, jump);

        float perPair = 1f / m;
        var reconstruction = new Bernoulli(DecoderLogits(z2)).MeanNegativeLogLikelihood(x2); // −log p_D(x_t2|z_t2)
        var klSmoothing = smoothing.Kl(beliefT1).Sum() * perPair;                           // E_qS[log q_S − log p_B(z_t1|b_t1)]
        var transitionNll = -transition.LogDensity(z2).Sum() * perPair;                     // −log p_T(z_t2|z_t1)
        var beliefLogProb = beliefT2.LogDensity(z2).Sum() * perPair;                        // log p_B(z_t2|b_t2)
        var regularisation = klSmoothing + transitionNll + beliefLogProb;
        return new LossTerms(reconstruction + regularisation, reconstruction, regularisation)
            .With("kl_smoothing", klSmoothing)
            .With("transition_nll", transitionNll)
            .With("belief_log_prob", beliefLogProb);
    }

    /// <summary>
    /// Predicts the next <paramref name="steps"/> frames after <paramref name="observed"/> [B, T', ...FrameShape] with jumps of 1:
    /// [B, steps, ...FrameShape].
    /// </summary>
    public Tensor Rollout(Tensor observed, int steps, Rng rng) => Rollout(observed, steps, rng, jump: 1);

    /// <summary>
    /// Jumpy rollout: z ~ p_B(·|b_last), then <paramref name="steps"/> times z ← sample of p_T(·|z, δ = <paramref name="jump"/>),
    /// each decoded; frame i of the result [B, steps, ...FrameShape] is the prediction (i + 1)·jump steps after the last observed frame.
    /// </summary>
    public Tensor Rollout(Tensor observed, int steps, Rng rng, int jump)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (steps < 1) throw new ArgumentException($"td-vae.Rollout: steps {steps} must be >= 1", nameof(steps));
        if (jump < 1 || jump > _options.MaxJump)
            throw new ArgumentException($"td-vae.Rollout: jump {jump} not in the trained range [1, {_options.MaxJump}]", nameof(jump));
        var z = LastState(observed, rng, nameof(Rollout));
        int b = observed.Shape[0];
        var jumps = Tensor.Full(jump, b);
        var frames = new Tensor[steps];
        for (int s = 0; s < steps; s++)
        {
            z = Transition(z, jumps).Sample(rng);
            frames[s] = DecoderLogits(z).Sigmoid();
        }
        return Tensor.Stack(frames, 1);
    }

    /// <summary>
    /// The frame <paramref name="ahead"/> steps after the last of <paramref name="observed"/> [B, T', ...FrameShape], predicted
    /// with as few jumps as possible (each at most MaxJump: one jump when ahead ≤ MaxJump): [B, ...FrameShape]. With
    /// <paramref name="ahead"/> = 0 no jump is made: the filtering reconstruction of the last observed frame.
    /// With <paramref name="sample"/> every state is drawn (z ~ p_B, then z ~ p_T); without it every state is the mean
    /// (μ_B(b_last), then μ_T(z, δ)): the point prediction that the evaluation scores.
    /// </summary>
    public Tensor PredictAhead(Tensor observed, int ahead, Rng rng, bool sample = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (ahead < 0) throw new ArgumentException($"td-vae.PredictAhead: ahead {ahead} must be >= 0", nameof(ahead));
        var z = LastState(observed, rng, nameof(PredictAhead), sample);
        int b = observed.Shape[0];
        for (int left = ahead; left > 0;)
        {
            int d = Math.Min(left, _options.MaxJump);
            var transition = Transition(z, Tensor.Full(d, b));
            z = sample ? transition.Sample(rng) : transition.Mean;
            left -= d;
        }
        return DecoderLogits(z).Sigmoid();
    }

    // z ~ p_B(·|b_last) (or its mean μ_B) for observed frames [B, T', ...FrameShape].
    private Tensor LastState(Tensor observed, Rng rng, string op, bool sample = true)
    {
        CheckFrames(observed, op);
        int b = observed.Shape[0], t = observed.Shape[1];
        var last = Beliefs(observed).Narrow(1, t - 1, 1).Reshape(b, _options.BeliefSize);
        var belief = Belief(last);
        return sample ? belief.Sample(rng) : belief.Mean;
    }

    private Tensor JumpFeature(Tensor jump)
    {
        if (jump.Rank != 1) throw new ArgumentException($"td-vae: jumps {Shapes.Format(jump.Shape)} must be [M]", nameof(jump));
        return jump.Reshape(jump.Shape[0], 1) * (1f / _options.MaxJump);
    }

    private void CheckFrames(Tensor frames, string op)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Rank != FrameShape.Length + 2 || frames.Shape[1] < 1 || !Shapes.Equal(frames.Shape.AsSpan(2), FrameShape))
            throw new ArgumentException($"td-vae.{op}: frames {Shapes.Format(frames.Shape)} are not [B,T,{string.Join(",", FrameShape)}] with T >= 1", nameof(frames));
    }
}
