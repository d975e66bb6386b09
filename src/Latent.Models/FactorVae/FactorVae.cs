using Latent.Core;
using Latent.Models.Adversarial;
using Latent.Models.Training;
using Latent.Models.Vae;
using Latent.NN;

namespace Latent.Models.FactorVae;

/// <summary>
/// The FactorVAE (Kim &amp; Mnih 2018, "Disentangling by Factorising", ICML, arXiv:1802.05983). A <see cref="Vae"/>
/// whose objective adds a penalty on the total correlation of the aggregated posterior q(z) = E_x q(z|x) (Eq. 2):
/// L(x) = −log p(x|z) + w·KL(q(z|x) ‖ N(0, I)) + γ·w·TC(z),  TC(z) = KL(q(z) ‖ Π_j q(z_j)).
/// <para>The TC is estimated with the density-ratio trick (Eq. 3): a discriminator D classifies codes z ~ q(z) against
/// codes whose dimensions are permuted independently across the batch (samples of Π_j q(z_j), Algorithm 1), and
/// TC(z) ≈ E_q[log D(z) / (1 − D(z))] = E_q[logit D(z)]. The paper permutes a second batch; here the same batch's
/// codes are permuted (the discriminator phase draws a fresh z ~ q(z|x)).</para>
/// Two training phases per batch (<see cref="TrainingPhases"/>):
/// <list type="number">
/// <item>"vae": encoder and decoder minimise the objective above with the run's optimizer (D's weights fixed).</item>
/// <item>"discriminator": D minimises BCE(D(z), 1) + BCE(D(perm(z)), 0) on codes held fixed, with Adam at
/// <see cref="FactorVaeOptions.DiscriminatorLearningRate"/> and betas (0.5, 0.9) as in the paper.</item>
/// </list>
/// Terms: total, reconstruction, regularisation (w·KL + γ·w·TC), extras "kl", "tc" (the estimate, unweighted),
/// "neg_elbo" and "discriminator". w is the warm-up weight (1 without warm-up); β of <see cref="VaeOptions"/> still
/// weights the KL.
/// </summary>
public sealed class FactorVae : Vae.Vae
{
    /// <summary>The registry entry ("factor-vae").</summary>
    public static new ModelInfo Info { get; } = ModelInfo.Of<FactorVaeOptions>("factor-vae",
        "Kim & Mnih 2018, Disentangling by Factorising, ICML, arXiv:1802.05983",
        "VAE + gamma * total correlation, estimated by a discriminator on codes vs dimension-wise permuted codes",
        (options, shape, rng) => new FactorVae(options, shape, rng));

    private readonly FactorVaeOptions _options;

    /// <summary>Builds the VAE networks as <see cref="Vae.Vae"/> does, then the discriminator MLP, from <paramref name="rng"/>.</summary>
    public FactorVae(FactorVaeOptions options, int[] inputShape, Rng rng) : base(options, inputShape, rng)
    {
        _options = options;
        Discriminator = Add("discriminator", Discriminators.Mlp(LatentSize, options.DiscriminatorSizes(), rng));
    }

    /// <summary>D: z [B, Z] → logit of "drawn from q(z)" rather than from the product of its marginals, [B, 1].</summary>
    public Layer Discriminator { get; }

    /// <summary>
    /// Samples of Π_j q(z_j) from codes z [B, Z]: each column permuted independently by a uniform permutation drawn from
    /// <paramref name="rng"/> (Fisher–Yates, column by column); a new tensor without gradient, [B, Z].
    /// </summary>
    public static Tensor PermuteDimensions(Tensor z, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(rng);
        if (z.Shape.Length != 2) throw new ArgumentException($"factor-vae.PermuteDimensions: codes must be [B, Z], got [{string.Join(",", z.Shape)}]", nameof(z));
        int batch = z.Shape[0], size = z.Shape[1];
        var source = z.ToArray();
        var permuted = new float[source.Length];
        for (int j = 0; j < size; j++)
        {
            var order = Enumerable.Range(0, batch).ToArray();
            for (int i = batch - 1; i > 0; i--)
            {
                int k = rng.NextInt(i + 1);
                (order[i], order[k]) = (order[k], order[i]);
            }
            for (int b = 0; b < batch; b++) permuted[b * size + j] = source[order[b] * size + j];
        }
        return new Tensor(permuted, batch, size);
    }

    /// <summary>The objective on a batch without updating anything: the VAE terms with γ·w·TC added, and the
    /// discriminator's loss on the same codes (held fixed) against their permutation.</summary>
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        var terms = VaeTerms(x, ctx, out var z);
        return terms.With("discriminator", DiscriminatorLoss(z.Detach(), ctx.Rng));
    }

    /// <summary>"vae" (encoder and decoder, the run's optimizer), then "discriminator" (D, Adam 1e-4, betas 0.5/0.9 by
    /// default); the second reports the whole objective's terms.</summary>
    public override IReadOnlyList<TrainingPhase> TrainingPhases()
    {
        LossTerms? vae = null; // this step's terms of the first phase, for the report
        return
        [
            new("vae", [.. Encoder.Parameters(), .. Decoder.Parameters()], (x, ctx) =>
            {
                vae = VaeTerms(x, ctx, out _);
                return vae;
            }),
            new("discriminator", [.. Discriminator.Parameters()], (x, ctx) =>
            {
                Tensor z;
                using (Tensor.NoGrad()) z = Posterior(x).Sample(ctx.Rng);
                var discriminator = DiscriminatorLoss(z, ctx.Rng);
                return Discriminators.Report(vae!).With("discriminator", discriminator);
            }) { Term = "discriminator", Optimizer = new OptimizerSpec { LearningRate = _options.DiscriminatorLearningRate, Beta1 = 0.5f, Beta2 = 0.9f } },
        ];
    }

    /// <summary>The VAE objective with the TC penalty, and the sampled codes z [B, Z].</summary>
    private LossTerms VaeTerms(Tensor x, TrainingContext ctx, out Tensor z)
    {
        (var q, z, var reconstruction) = SampleReconstruction(x, ctx);
        var kl = q.Kl(Prior(x.Shape[0])).Mean();
        // Density-ratio trick (Eq. 3): log(D/(1 − D)) is D's logit.
        var tc = Discriminator.Forward(z).Mean();
        float w = ctx.RegularisationWeight;
        return Objective(reconstruction, kl * (_options.Beta * w) + tc * (_options.Gamma * w))
            .With("kl", kl)
            .With("tc", tc)
            .With("neg_elbo", reconstruction + kl);
    }

    /// <summary>BCE(D(z), 1) + BCE(D(perm(z)), 0), each averaged over the batch (scalar); z [B, Z] held fixed.</summary>
    private Tensor DiscriminatorLoss(Tensor z, Rng rng)
    {
        var real = Discriminator.Forward(z);
        return Discriminators.RealVersusFake(real, Discriminator.Forward(PermuteDimensions(z, rng)));
    }
}
