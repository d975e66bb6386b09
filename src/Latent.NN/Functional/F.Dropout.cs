using Latent.Core;

namespace Latent.NN;

public static partial class F
{
    /// <summary>
    /// Inverted dropout (torch.nn.functional.dropout): in training each element is kept with probability 1 − p
    /// and scaled by 1/(1 − p), so E[y] = x; p = 1 gives zeros. Outside training, or with p = 0, x is returned.
    /// </summary>
    public static Tensor Dropout(Tensor x, float p, bool training, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (p is < 0f or > 1f || float.IsNaN(p)) throw new ArgumentException($"Dropout: p = {p} is not in [0, 1]", nameof(p));
        if (!training || p == 0f) return x;
        if (p == 1f) return x * 0f;
        var mask = rng.Bernoulli(x.Shape, 1f - p);
        var ms = mask.Span;
        float scale = 1f / (1f - p);
        for (int i = 0; i < ms.Length; i++) ms[i] *= scale;
        return x * mask;
    }
}
