using Latent.Core;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.PixelCnn;

/// <summary>
/// Causal multi-head self-attention over a feature map in raster order, the attention block of PixelSNAIL (Chen, Mishra,
/// Rohaninejad &amp; Abbeel 2018, "PixelSNAIL: An Improved Autoregressive Generative Model", ICML, §3) that VQ-VAE-2 puts
/// in its top-level prior (Razavi, van den Oord &amp; Vinyals 2019, §3.2: "we use a PixelCNN with multi-headed self-attention
/// layers" for the top level). With n = H·W positions p = i·W + j and x_p ∈ ℝ^F:
/// <code>
/// u_p = [x_p, i/H − ½, j/W − ½]                        (features plus the position, PixelSNAIL's "background")
/// q, k, v = W_{qkv} u (+ b), split into heads of size d = F / heads
/// A_h = softmax(q_h k_hᵀ / √d + M),  M_{pq} = 0 for q ≤ p, −10⁹ for q &gt; p     (the causal mask)
/// y = x + W_o [A_1 v_1, …, A_heads v_heads]           (residual)
/// </code>
/// Output position p reads inputs at positions ≤ p only. The prior feeds it features that already depend only on
/// codes strictly before p (the horizontal stack after the type-A layer), so the prior stays causal. The mask is added
/// as a large negative constant, so masked scores get weight exp(−10⁹) = 0 and no gradient; built from MatMul, Softmax
/// and Linear, the block needs no operation of its own.
/// </summary>
public sealed class CausalSelfAttention : Module
{
    /// <summary>The additive mask value of a future position (exp of it underflows to exactly 0).</summary>
    public const float MaskedScore = -1e9f;

    /// <summary>Attention over <paramref name="channels"/>-channel maps with <paramref name="heads"/> heads.</summary>
    /// <param name="channels">F; must be divisible by <paramref name="heads"/>.</param>
    /// <param name="heads">Number of heads (≥ 1).</param>
    /// <param name="rng">Initialisation stream.</param>
    public CausalSelfAttention(int channels, int heads, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (channels <= 0) throw new ArgumentException($"CausalSelfAttention: channels {channels} must be positive", nameof(channels));
        if (heads <= 0 || channels % heads != 0)
            throw new ArgumentException($"CausalSelfAttention: heads {heads} must be positive and divide channels {channels}", nameof(heads));
        Channels = channels;
        Heads = heads;
        QueryKeyValue = Add("qkv", new Linear(channels + 2, 3 * channels, rng));
        Output = Add("out", new Linear(channels, channels, rng));
    }

    /// <summary>F.</summary>
    public int Channels { get; }

    /// <summary>Number of heads.</summary>
    public int Heads { get; }

    /// <summary>W_{qkv}: [x, position] (F + 2) → [q, k, v] (3F).</summary>
    public Linear QueryKeyValue { get; }

    /// <summary>W_o: F → F.</summary>
    public Linear Output { get; }

    /// <summary>x [B, F, H, W] → x + attention(x) [B, F, H, W]; position (i, j) reads positions ≤ (i, j) in raster order.</summary>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Shape[1] != Channels)
            throw new ArgumentException($"CausalSelfAttention: input {Shapes.Format(x.Shape)} is not [B,{Channels},H,W]", nameof(x));
        int b = x.Shape[0], h = x.Shape[2], w = x.Shape[3], n = h * w, f = Channels, d = f / Heads;
        var tokens = x.Reshape(b, f, n).Permute(0, 2, 1);                                // [B, n, F]
        var qkv = QueryKeyValue.Forward(Tensor.Concat([tokens, Positions(b, h, w)], 2)); // [B, n, 3F]
        Tensor Split(int part) => qkv.Narrow(2, part * f, f).Reshape(b, n, Heads, d).Permute(0, 2, 1, 3); // [B, heads, n, d]
        var scores = Tensor.MatMul(Split(0), Split(1), transposeB: true) * (1f / MathF.Sqrt(d)) + CausalMask(n); // [B, heads, n, n]
        var mixed = Tensor.MatMul(scores.Softmax(-1), Split(2));                         // [B, heads, n, d]
        var y = Output.Forward(mixed.Permute(0, 2, 1, 3).Reshape(b, n, f));             // [B, n, F]
        return x + y.Permute(0, 2, 1).Reshape(b, f, h, w);
    }

    /// <summary>M [n, n]: 0 where key q ≤ query p (raster order), <see cref="MaskedScore"/> elsewhere.</summary>
    public static Tensor CausalMask(int n)
    {
        var m = Tensor.Zeros(n, n);
        var s = m.Span;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) s[p * n + q] = MaskedScore;
        return m;
    }

    /// <summary>The position channels [B, n, 2]: (i/H − ½, j/W − ½) per raster position.</summary>
    private static Tensor Positions(int batch, int h, int w)
    {
        var t = Tensor.Zeros(batch, h * w, 2);
        var s = t.Span;
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    int o = ((b * h + i) * w + j) * 2;
                    s[o] = (float)i / h - 0.5f;
                    s[o + 1] = (float)j / w - 0.5f;
                }
        return t;
    }
}
