using Latent.Core;

namespace Latent.NN.Optim;

/// <summary>
/// Stochastic gradient descent with PyTorch's update (torch.optim.SGD): d = g + wd·p; with momentum μ the
/// buffer is b ← d on a parameter's first step and b ← μ·b + (1 − dampening)·d afterwards; the step uses
/// d + μ·b (Nesterov, Sutskever et al. 2013) or b; then p ← p − lr·d.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][] _buf;
    private readonly bool[] _hasBuf;

    /// <summary>SGD; <paramref name="nesterov"/> needs momentum &gt; 0 and zero dampening, as in PyTorch.</summary>
    public Sgd(IEnumerable<Tensor> parameters, float lr, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(parameters, lr)
    {
        if (!(momentum >= 0f)) throw new ArgumentException($"Sgd: momentum {momentum} must be >= 0", nameof(momentum));
        if (!(weightDecay >= 0f)) throw new ArgumentException($"Sgd: weight decay {weightDecay} must be >= 0", nameof(weightDecay));
        if (float.IsNaN(dampening)) throw new ArgumentException("Sgd: dampening is NaN", nameof(dampening));
        if (nesterov && (momentum <= 0f || dampening != 0f))
            throw new ArgumentException($"Sgd: Nesterov momentum requires momentum > 0 and zero dampening, got momentum {momentum}, dampening {dampening}", nameof(nesterov));
        Momentum = momentum; Dampening = dampening; WeightDecay = weightDecay; Nesterov = nesterov;
        _buf = Params.Select(p => momentum != 0f ? new float[p.Size] : []).ToArray();
        _hasBuf = new bool[Params.Length];
    }

    /// <summary>Momentum factor μ (0: plain SGD).</summary>
    public float Momentum { get; }

    /// <summary>Dampening of the gradient added to the momentum buffer.</summary>
    public float Dampening { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override void Step()
    {
        StepCount++;
        float lr = LearningRate, mu = Momentum, wd = WeightDecay, keep = 1f - Dampening;
        for (int k = 0; k < Params.Length; k++)
        {
            var p = Params[k];
            if (p.Grad is null) continue;
            var ps = p.Span;
            ReadOnlySpan<float> gs = p.Grad.Span;
            var buf = _buf[k];
            bool first = !_hasBuf[k];
            for (int i = 0; i < ps.Length; i++)
            {
                float d = gs[i];
                if (wd != 0f) d += wd * ps[i];
                if (mu != 0f)
                {
                    float b = buf[i] = first ? d : mu * buf[i] + keep * d;
                    d = Nesterov ? d + mu * b : b;
                }
                ps[i] -= lr * d;
            }
            if (mu != 0f) _hasBuf[k] = true;
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Name, float[] Values)> ExportBuffers()
    {
        // Like PyTorch, a parameter has a momentum buffer only after its first update.
        for (int k = 0; k < Params.Length; k++)
            if (_hasBuf[k]) yield return ($"{k}.momentum_buffer", _buf[k]);
    }

    /// <inheritdoc />
    protected override bool IsKnownBuffer(string bufferName) => bufferName == "momentum_buffer" && Momentum != 0f;

    /// <inheritdoc />
    protected override void CheckRequiredBuffers(IReadOnlyDictionary<string, float[]> buffers, string kind)
    {
        // Missing buffers are valid: those parameters have not been updated yet.
    }

    /// <inheritdoc />
    protected override void ImportBuffers(IReadOnlyDictionary<string, float[]> buffers)
    {
        for (int k = 0; k < Params.Length; k++)
        {
            _hasBuf[k] = buffers.TryGetValue($"{k}.momentum_buffer", out var b);
            if (b is not null) b.CopyTo(_buf[k], 0);
        }
    }
}
