using Latent.Core.Kernels;

namespace Latent.Core;

// The affine map of a fully connected layer, fused: the bias is written into the output first and the GEMM
// accumulates onto it (beta = 1), so y = x Wᵀ + b costs one GEMM and no second pass or temporary.
public sealed partial class Tensor
{
    /// <summary>
    /// x Wᵀ + b: x [..., in], weight [out, in], bias [out] (or null) -> [..., out]; the leading axes of x are one
    /// GEMM's rows. Gradients: dx = g W, dW = gᵀ x, db = Σ_rows g, each a differentiable op.
    /// </summary>
    /// <exception cref="ArgumentException">x has rank &lt; 2, weight is not rank 2, the in-features differ, or bias is not [out].</exception>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank < 2 || weight.Rank != 2)
            throw new ArgumentException($"Linear: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: input needs rank >= 2 and weight rank 2");
        int inF = weight.Shape[1], outF = weight.Shape[0];
        if (x.Shape[^1] != inF)
            throw new ArgumentException($"Linear: input {Shapes.Format(x.Shape)} x weight {Shapes.Format(weight.Shape)}: in-features {x.Shape[^1]} != {inF}");
        if (bias is null) return MatMul(x, weight, transposeB: true);
        if (bias.Rank != 1 || bias.Shape[0] != outF)
            throw new ArgumentException($"Linear: weight {Shapes.Format(weight.Shape)} x bias {Shapes.Format(bias.Shape)}: bias must be [{outF}]", nameof(bias));

        int rows = Shapes.Size(x.Shape.AsSpan(0, x.Rank - 1));
        var y = Empty([.. x.Shape[..^1], outF]);
        var ys = y.Span;
        ReadOnlySpan<float> b = bias.Span;
        for (int r = 0; r < rows; r++) b.CopyTo(ys.Slice(r * outF, outF));
        Gemm.Sgemm(false, true, rows, outF, inF, 1f, x.Span, Math.Max(1, inF), weight.Span, Math.Max(1, inF),
            1f, ys, Math.Max(1, outF));

        if (ShouldRecord([x, weight, bias]))
            y.RecordOp("linear", [x, weight, bias], g =>
            {
                var g2 = g.Reshape(rows, outF);
                return [
                    x.RequiresGrad ? MatMul(g, weight) : null,
                    weight.RequiresGrad ? MatMul(g2, x.Reshape(rows, inF), transposeA: true) : null,
                    bias.RequiresGrad ? g2.Sum([0]) : null];
            });
        return y;
    }
}
