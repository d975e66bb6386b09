using Latent.Core;
using Latent.Core.Kernels;

namespace Latent.NN.Losses;

/// <summary>Loss functions with PyTorch's definitions and reductions.</summary>
public static class Loss
{
    private static Tensor Reduce(Tensor t, Reduction r) => r switch
    {
        Reduction.Mean => t.Mean(),
        Reduction.Sum => t.Sum(),
        _ => t,
    };

    private static void SameShape(Tensor a, Tensor b, string op)
    {
        if (!Shapes.Equal(a.Shape, b.Shape))
            throw new ArgumentException($"{op}: input {Shapes.Format(a.Shape)} and target {Shapes.Format(b.Shape)} differ");
    }

    /// <summary>(x − y)².</summary>
    public static Tensor Mse(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(input, target, "Mse");
        return Reduce((input - target).Square(), reduction);
    }

    /// <summary>
    /// Binary cross-entropy on logits, in the stable form max(x,0) − x·y + log(1 + e^−|x|)
    /// (torch.nn.functional.binary_cross_entropy_with_logits). Its gradient in x is sigmoid(x) − y.
    /// </summary>
    /// <remarks>
    /// Fused: the forward is one vectorised pass (a mean or sum never materialises the per-element losses), and a
    /// backward pass that is not recorded computes s·(sigmoid(x) − y) in one pass too. When the backward is
    /// recorded (createGraph) the same gradient is written with differentiable ops, so second order still works.
    /// </remarks>
    public static Tensor BceWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(logits, target, "BceWithLogits");
        bool record = Tensor.NeedsGrad(logits, target);
        if (reduction == Reduction.None)
        {
            var y = Tensor.Empty(logits.Shape);
            BceWithLogitsKernel.Loss(logits.Span, target.Span, y.Span);
            if (record)
                y.RecordOp("bce_with_logits", [logits, target], g => [
                    logits.RequiresGrad ? BceLogitsGrad(g, logits, target, 1f) : null,
                    target.RequiresGrad ? -(g * logits) : null]);
            return y;
        }
        // Mean as Tensor.Mean: the sum times 1/count (an empty input gives 0).
        float scale = reduction == Reduction.Mean ? 1f / Math.Max(1, logits.Size) : 1f;
        var total = Tensor.Scalar((float)BceWithLogitsKernel.Sum(logits.Span, target.Span) * scale);
        if (record)
            total.RecordOp(reduction == Reduction.Mean ? "bce_with_logits_mean" : "bce_with_logits_sum", [logits, target], g => [
                logits.RequiresGrad ? BceLogitsGrad(g, logits, target, scale) : null,
                target.RequiresGrad ? -(g * scale * logits) : null]);
        return total;
    }

    /// <summary>
    /// d loss / d logits = g·s·(sigmoid(x) − y) with g the upstream gradient (a scalar or one per element). Fused
    /// when the result need not be recorded; otherwise built from differentiable ops.
    /// </summary>
    private static Tensor BceLogitsGrad(Tensor g, Tensor logits, Tensor target, float scale)
    {
        if (Tensor.NeedsGrad(g, logits, target))
            return scale == 1f ? g * (logits.Sigmoid() - target) : g * scale * (logits.Sigmoid() - target);
        var dx = Tensor.Empty(logits.Shape);
        if (g.Size == 1) BceWithLogitsKernel.Grad(logits.Span, target.Span, g.Item() * scale, dx.Span);
        else BceWithLogitsKernel.Grad(logits.Span, target.Span, g.Span, dx.Span);
        return dx;
    }

    /// <summary>Binary cross-entropy on probabilities; like PyTorch, log terms are clamped at −100.</summary>
    public static Tensor Bce(Tensor probabilities, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(probabilities, target, "Bce");
        var logP = probabilities.Log().Clamp(min: -100f);
        var log1mP = (1f - probabilities).Log().Clamp(min: -100f);
        return Reduce(-(target * logP + (1f - target) * log1mP), reduction);
    }

    /// <summary>
    /// Cross-entropy on logits with class indices (torch.nn.functional.cross_entropy): logits [N, C] or
    /// [N, C, d1, ...], targets (N·d1·…, row-major over [N, d1, ...]) in [0, C). Per element
    /// −log softmax(logits)[target] over the class axis 1; None gives [N, d1, ...], Mean averages over them.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank < 2)
            throw new ArgumentException($"CrossEntropy: logits {Shapes.Format(logits.Shape)} are not [N,C,...]", nameof(logits));
        int c = logits.Shape[1];
        var pickShape = (int[])logits.Shape.Clone();
        pickShape[1] = 1;
        if (targets.Length != logits.Size / Math.Max(c, 1))
            throw new ArgumentException($"CrossEntropy: {targets.Length} targets for logits {Shapes.Format(logits.Shape)}: expected one per [N,d...] element", nameof(targets));
        foreach (int t in targets)
            if ((uint)t >= (uint)c)
                throw new ArgumentException($"CrossEntropy: target {t} is out of range for {c} classes (logits {Shapes.Format(logits.Shape)})", nameof(targets));
        var picked = logits.LogSoftmax(1).GatherAlong(1, targets, pickShape);
        var perElement = -picked.Reshape(WithoutAxis1(logits.Shape));
        return Reduce(perElement, reduction);
    }

    /// <summary>
    /// Cross-entropy on logits with class probabilities (soft targets) of the same shape [N, C, ...]:
    /// −Σ_c target_c · log softmax(logits)_c over axis 1. Mean divides by N·d1·…, as PyTorch does.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targetProbabilities, Reduction reduction = Reduction.Mean)
    {
        if (logits.Rank < 2)
            throw new ArgumentException($"CrossEntropy: logits {Shapes.Format(logits.Shape)} are not [N,C,...]", nameof(logits));
        SameShape(logits, targetProbabilities, "CrossEntropy");
        var perElement = -(targetProbabilities * logits.LogSoftmax(1)).Sum(1);
        return Reduce(perElement, reduction);
    }

    private static int[] WithoutAxis1(int[] shape) => [shape[0], .. shape[2..]];

    /// <summary>
    /// Gaussian negative log-likelihood (torch.nn.functional.gaussian_nll_loss):
    /// ½(log max(var, ε) + (input − target)² / max(var, ε)) [+ ½ log 2π when <paramref name="full"/>].
    /// var has the input's shape, or the input's shape with the last axis 1 or dropped (one variance per row).
    /// As in PyTorch the clamp at ε only changes the value: the gradient reaches var as if unclamped.
    /// </summary>
    public static Tensor GaussianNll(Tensor input, Tensor target, Tensor variance, bool full = false, float eps = 1e-6f,
        Reduction reduction = Reduction.Mean)
    {
        SameShape(input, target, "GaussianNll");
        var v = variance;
        if (!Shapes.Equal(v.Shape, input.Shape))
        {
            var lead = input.Shape[..^1];
            if (input.Rank >= 1 && Shapes.Equal(v.Shape, lead)) v = v.Unsqueeze(-1);
            else if (!(v.Rank == input.Rank && input.Rank >= 1 && Shapes.Equal(v.Shape[..^1], lead) && v.Shape[^1] == 1))
                throw new ArgumentException($"GaussianNll: var {Shapes.Format(variance.Shape)} does not fit input {Shapes.Format(input.Shape)}", nameof(variance));
        }
        foreach (float x in v.Span)
            if (x < 0f) throw new ArgumentException($"GaussianNll: var {Shapes.Format(variance.Shape)} has a negative entry", nameof(variance));
        // Clamp the value without touching the gradient: v + (clamp(v) − v) with the correction detached.
        var vd = v.Detach();
        var clamped = v + (vd.Clamp(min: eps) - vd);
        var loss = 0.5f * (clamped.Log() + (input - target).Square() / clamped);
        if (full) loss = loss + 0.5f * MathF.Log(2f * MathF.PI);
        return Reduce(loss, reduction);
    }

    /// <summary>
    /// KL(N(μ, diag e^{logVar}) ‖ N(0, I)) in closed form (Kingma &amp; Welling 2014, appendix B):
    /// ½ Σ (μ² + e^{logVar} − 1 − logVar) over the last axis. mu, logVar [..., Z]; None gives [...],
    /// Mean averages over the remaining (batch) axes, Sum adds them.
    /// </summary>
    public static Tensor KlNormal(Tensor mu, Tensor logVar, Reduction reduction = Reduction.Mean)
    {
        SameShape(mu, logVar, "KlNormal");
        if (mu.Rank == 0) throw new ArgumentException("KlNormal: mu must have a last (latent) axis", nameof(mu));
        var perSample = 0.5f * (mu.Square() + logVar.Exp() - 1f - logVar).Sum(-1);
        return Reduce(perSample, reduction);
    }

    /// <summary>
    /// KL(N(μ₁, diag e^{logVar₁}) ‖ N(μ₂, diag e^{logVar₂})) in closed form:
    /// ½ Σ (logVar₂ − logVar₁ + (e^{logVar₁} + (μ₁ − μ₂)²) / e^{logVar₂} − 1) over the last axis. All four
    /// tensors [..., Z]; reductions as in <see cref="KlNormal(Tensor, Tensor, Reduction)"/>.
    /// </summary>
    public static Tensor KlNormal(Tensor mu1, Tensor logVar1, Tensor mu2, Tensor logVar2, Reduction reduction = Reduction.Mean)
    {
        SameShape(mu1, logVar1, "KlNormal");
        SameShape(mu1, mu2, "KlNormal");
        SameShape(mu1, logVar2, "KlNormal");
        if (mu1.Rank == 0) throw new ArgumentException("KlNormal: mu must have a last (latent) axis", nameof(mu1));
        var perSample = 0.5f * (logVar2 - logVar1 + (logVar1.Exp() + (mu1 - mu2).Square()) / logVar2.Exp() - 1f).Sum(-1);
        return Reduce(perSample, reduction);
    }
}
