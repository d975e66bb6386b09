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
        if (!(eps >= 0f)) throw new ArgumentException($"Adam: eps {eps} must be >= 0", nameof(eps));
        if (!(weightDecay >= 0f)) throw new ArgumentException($"Adam: weight decay {weightDecay} must be >= 0", nameof(weightDecay));
        Beta1 = beta1; Beta2 = beta2; Eps = eps; WeightDecay = weightDecay; Decoupled = decoupled;
        _m = Params.Select(p => new float[p.Size]).ToArray();
        _v = Params.Select(p => new float[p.Size]).ToArray();
    }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the denominator.</summary>
    public float Eps { get; }

    /// <summary>L2 penalty (Adam) or decoupled decay rate (AdamW).</summary>
    public float WeightDecay { get; }

    /// <summary>True for AdamW's decoupled weight decay.</summary>
    public bool Decoupled { get; }

    /// <summary>First and second moment buffers, per parameter (for checkpoints).</summary>
    public IReadOnlyList<float[]> FirstMoments => _m;

    /// <inheritdoc cref="FirstMoments"/>
    public IReadOnlyList<float[]> SecondMoments => _v;

    /// <inheritdoc />
    protected override IEnumerable<(string Name, float[] Values)> ExportBuffers()
    {
        for (int k = 0; k < Params.Length; k++)
        {
            yield return ($"{k}.exp_avg", _m[k]);
            yield return ($"{k}.exp_avg_sq", _v[k]);
        }
    }

    /// <inheritdoc />
    protected override bool IsKnownBuffer(string bufferName) => bufferName is "exp_avg" or "exp_avg_sq";

    /// <inheritdoc />
    protected override void ImportBuffers(IReadOnlyDictionary<string, float[]> buffers)
    {
        for (int k = 0; k < Params.Length; k++)
        {
            buffers[$"{k}.exp_avg"].CopyTo(_m[k], 0);
            buffers[$"{k}.exp_avg_sq"].CopyTo(_v[k], 0);
        }
    }

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
            if (Decoupled && wd != 0f) System.Numerics.Tensors.TensorPrimitives.Multiply(ps, 1f - lr * wd, ps);
            Latent.Core.Kernels.AdamKernel.Run(ps, gs, _m[k].AsSpan(0, ps.Length), _v[k].AsSpan(0, ps.Length),
                b1, b2, stepSize, bc2Sqrt, eps, Decoupled ? 0f : wd);
        }
    }
}
