using Latent.Core;
using Latent.NN;
using Latent.NN.Layers;
using Latent.NN.Losses;
using NnLoss = Latent.NN.Losses.Loss;

namespace Latent.Models.Adversarial;

/// <summary>
/// What the models with a discriminator phase share (the adversarial autoencoder, FactorVAE, VAE-GAN): the ReLU MLP they
/// build their discriminators from, the two sides of the GAN loss in logits, and the report of a step's earlier phases.
/// </summary>
internal static class Discriminators
{
    /// <summary>
    /// Linear + ReLU for each of <paramref name="hidden"/> from <paramref name="input"/> features, then a linear layer to one
    /// logit when <paramref name="head"/>: [B, input] → [B, hidden[^1]] (or [B, 1]); weights drawn from <paramref name="rng"/>
    /// layer by layer.
    /// </summary>
    public static Sequential Mlp(int input, int[] hidden, Rng rng, bool head = true)
    {
        var network = new Sequential();
        int width = input;
        foreach (int h in hidden)
        {
            network.Append(new Linear(width, h, rng));
            network.Append(Activation.FromName("relu"));
            width = h;
        }
        if (head) network.Append(new Linear(width, 1, rng));
        return network;
    }

    /// <summary>The discriminator's loss: BCE(real, 1) + Σ_f BCE(fake_f, 0), each averaged over its batch (scalar); logits [B, 1].</summary>
    public static Tensor RealVersusFake(Tensor real, params Tensor[] fakes)
    {
        var loss = NnLoss.BceWithLogits(real, Tensor.OnesLike(real), Reduction.Mean);
        foreach (var fake in fakes) loss += NnLoss.BceWithLogits(fake, Tensor.ZerosLike(fake), Reduction.Mean);
        return loss;
    }

    /// <summary>The generator's non-saturating loss: Σ_f BCE(fake_f, 1), each averaged over its batch (scalar); logits [B, 1].</summary>
    public static Tensor Fooled(params Tensor[] fakes)
    {
        Tensor? loss = null;
        foreach (var fake in fakes)
        {
            var term = NnLoss.BceWithLogits(fake, Tensor.OnesLike(fake), Reduction.Mean);
            loss = loss is null ? term : loss + term;
        }
        return loss ?? throw new ArgumentException("Discriminators.Fooled: no logits", nameof(fakes));
    }

    /// <summary>
    /// The last phase's report of a step: the terms of an earlier phase of the same step with every value detached
    /// (already minimised, so no gradient flows into them), to which the last phase adds its own loss.
    /// </summary>
    public static LossTerms Report(LossTerms earlier)
    {
        var report = new LossTerms(earlier.Total.Detach(), earlier.Reconstruction.Detach(), earlier.Regularisation?.Detach());
        foreach (var (name, value) in earlier.Extras) report = report.With(name, value.Detach());
        return report;
    }
}
