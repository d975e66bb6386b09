using Latent.Core;

namespace Latent.NN.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with PyTorch's update: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε). Weight decay adds wd·p to g (L2), or with
/// <c>decoupled</c> (AdamW, Loshchilov &amp; Hutter 2019) multiplies p by 1 − lr·wd first.
/// </summary>
public class Adam : Optimizer
{
    private readonly float[][] _m, _v;

    /// <summary>Adam with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float eps = 1e-8f, float weightDecay = 0f, bool decoupled = false) : base(parameters, lr)
    {
        if (beta1 is < 0f or >= 1f || beta2 is < 0f or >= 1f) throw new ArgumentException($"Adam: betas ({beta1}, {beta2}) must be in [0, 1)");
        Beta1 = beta1; Beta2 = beta2; Eps = eps; WeightDecay = weightDecay; Decoupled = decoupled;
        _m = Params.Select(p => new float[p.Size]).ToArray();
        _v = Params.Select(p => new float[p.Size]).ToArray();
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }
    public float WeightDecay { get; }
    public bool Decoupled { get; }

    /// <summary>First and second moment buffers, per parameter (for checkpoints).</summary>
    public IReadOnlyList<float[]> FirstMoments => _m;

    /// <inheritdoc cref="FirstMoments"/>
    public IReadOnlyList<float[]> SecondMoments => _v;

    /// <inheritdoc />
    public override void Step()
    {
        StepCount++;
        // PyTorch computes the bias corrections in double from float betas.
        double bc1 = 1.0 - Math.Pow(Beta1, StepCount);
        double bc2 = 1.0 - Math.Pow(Beta2, StepCount);
        float stepSize = (float)(LearningRate / bc1);
        float bc2Sqrt = (float)Math.Sqrt(bc2);
        float b1 = Beta1, b2 = Beta2, eps = Eps, wd = WeightDecay, lr = LearningRate;
        for (int k = 0; k < Params.Length; k++)
        {
            var p = Params[k];
            if (p.Grad is null) continue;
            var ps = p.Span;
            ReadOnlySpan<float> gs = p.Grad.Span;
            var m = _m[k];
            var v = _v[k];
            if (Decoupled && wd != 0f) System.Numerics.Tensors.TensorPrimitives.Multiply(ps, 1f - lr * wd, ps);
            for (int i = 0; i < ps.Length; i++)
            {
                float g = gs[i];
                if (!Decoupled && wd != 0f) g += wd * ps[i];
                float mi = m[i] = b1 * m[i] + (1f - b1) * g;
                float vi = v[i] = b2 * v[i] + (1f - b2) * g * g;
                ps[i] -= stepSize * (mi / (MathF.Sqrt(vi) / bc2Sqrt + eps));
            }
        }
    }
}
