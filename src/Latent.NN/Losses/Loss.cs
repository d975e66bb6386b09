using Latent.Core;

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
    public static Tensor BceWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(logits, target, "BceWithLogits");
        var y = Tensor.Zeros(logits.Shape);
        ReadOnlySpan<float> x = logits.Span, t = target.Span;
        var ys = y.Span;
        for (int i = 0; i < ys.Length; i++)
        {
            float v = x[i];
            ys[i] = MathF.Max(v, 0f) - v * t[i] + MathF.Log(1f + MathF.Exp(-MathF.Abs(v)));
        }
        // Fused forward; the backward is written with differentiable ops, so it supports second order.
        if (Tensor.NeedsGrad(logits, target))
            y.Record("bce_with_logits", [logits, target], g => [
                logits.RequiresGrad ? g * (logits.Sigmoid() - target) : null,
                target.RequiresGrad ? -(g * logits) : null]);
        return Reduce(y, reduction);
    }

    /// <summary>Binary cross-entropy on probabilities; like PyTorch, log terms are clamped at −100.</summary>
    public static Tensor Bce(Tensor probabilities, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(probabilities, target, "Bce");
        var logP = probabilities.Log().Clamp(min: -100f);
        var log1mP = (1f - probabilities).Log().Clamp(min: -100f);
        return Reduce(-(target * logP + (1f - target) * log1mP), reduction);
    }
}
