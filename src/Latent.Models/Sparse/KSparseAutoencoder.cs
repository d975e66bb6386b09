using Latent.Core;
using Latent.Models.Autoencoder;

namespace Latent.Models.Sparse;

/// <summary>
/// The k-sparse autoencoder (Makhzani &amp; Frey 2014, "k-Sparse Autoencoders", ICLR, Algorithm 1): a linear code
/// h = Wx + b of which only the k largest units of each sample are kept, the rest set to zero, and the decoder
/// reconstructs from that support:
/// <code>
///   z = supp_k(h),   x̂ = g(z),   L = ‖x − x̂‖²     (per sample, averaged over the batch)
/// </code>
/// The selection is a fixed mask in the backward pass, so gradients flow only through the k kept units (the paper's
/// "back-propagate only through the k largest hidden units"). Tricks named: the <b>sparsity schedule</b> — during
/// training k_t falls linearly from k_start to k over the first <see cref="KSparseOptions.AnnealFraction"/> of
/// <see cref="TrainingContext.Progress"/>, so that every unit is trained early on; and the <b>encoding stage</b> with
/// α·k units (<see cref="Encode"/>). <see cref="AutoencoderModel.Reconstruct"/> decodes the k-sparse code, which is what the decoder was trained on.
/// Ties are broken by index (lower first), as in <see cref="Tensor.TopK"/>.
/// </summary>
public sealed class KSparseAutoencoder : NetworkAutoencoder
{
    /// <summary>The registry entry ("k-sparse-ae").</summary>
    public static ModelInfo Info { get; } = ModelInfo.Of<KSparseOptions>("k-sparse-ae",
        "Makhzani & Frey 2014, k-Sparse Autoencoders, ICLR (arXiv:1312.5663)",
        "k-sparse autoencoder: linear code, keep the k largest units per sample, k annealed from k_start",
        (options, shape, rng) => new KSparseAutoencoder(options, shape, rng));

    private readonly KSparseOptions _options;

    /// <summary>Builds the networks from <paramref name="options"/> for samples of <paramref name="inputShape"/>.</summary>
    public KSparseAutoencoder(KSparseOptions options, int[] inputShape, Rng rng)
        : base(options, ModelOptions.Checked(options).Network, inputShape, rng)
    {
        _options = options;
    }

    /// <summary>The target sparsity k.</summary>
    public int K => _options.K;

    /// <summary>Units kept by <see cref="Encode"/>: min(⌊α·k⌋, Z).</summary>
    public int EncodeK => Math.Min(CodeSize, (int)MathF.Floor(_options.Alpha * _options.K));

    /// <summary>
    /// The scheduled k at training progress <paramref name="progress"/> ∈ [0, 1]:
    /// k_t = round(k_s + (k − k_s) · min(1, progress / anneal)), k_s = min(k_start, Z); k when anneal = 0.
    /// </summary>
    public int SparsityAt(double progress)
    {
        int start = Math.Min(_options.KStart, CodeSize);
        if (_options.AnnealFraction <= 0 || start <= _options.K) return _options.K;
        double t = Math.Clamp(progress / _options.AnnealFraction, 0, 1);
        return (int)Math.Round(start + (_options.K - start) * t);
    }

    /// <summary>x [B, ...InputShape] → the α·k-sparse code [B, Z] (the paper's encoding stage).</summary>
    public override Tensor Encode(Tensor x)
    {
        CheckInput(x, nameof(Encode));
        return KeepTopK(Encoder.Forward(x), EncodeK);
    }

    /// <summary>x → g(supp_k(f(x))): the reconstruction from the k-sparse code the decoder was trained on.</summary>
    public override Tensor Reconstruct(Tensor x)
    {
        CheckInput(x, nameof(Reconstruct));
        return Decode(KeepTopK(Encoder.Forward(x), _options.K));
    }

    /// <inheritdoc />
    public override LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        CheckLossArguments(x, ctx);
        int k = ctx.IsTraining ? SparsityAt(ctx.Progress) : _options.K;
        var z = KeepTopK(Encoder.Forward(x), k);
        var reconstruction = Reconstruction(Decoder.Forward(z), x);
        return WithActivityPenalty(new LossTerms(total: reconstruction, reconstruction: reconstruction), z);
    }

    /// <summary>
    /// supp_k: h [B, Z] with all but the k largest entries of each row set to 0, as h ⊙ m with a constant 0/1 mask m,
    /// so the gradient reaches only the kept entries. k = Z returns h.
    /// </summary>
    public static Tensor KeepTopK(Tensor h, int k)
    {
        ArgumentNullException.ThrowIfNull(h);
        if (h.Rank != 2) throw new ArgumentException($"KeepTopK: codes {Shapes.Format(h.Shape)} are not [B,Z]", nameof(h));
        int b = h.Shape[0], z = h.Shape[1];
        if (k < 0 || k > z) throw new ArgumentException($"KeepTopK: k {k} is not in [0, {z}]", nameof(k));
        if (k == z) return h;
        int[] index;
        using (Tensor.NoGrad()) index = h.Detach().TopK(k, axis: 1).Indices;
        var mask = new float[b * z];
        for (int n = 0; n < b; n++)
            for (int j = 0; j < k; j++) mask[n * z + index[n * k + j]] = 1f;
        return h * Tensor.FromArray(mask, b, z);
    }
}
