using System.Numerics.Tensors;
using Latent.Core.Kernels;

namespace Latent.Core;

// Binary elementwise ops with NumPy broadcasting. Each op's forward and backward stand together; the backward
// reduces a broadcast gradient back to its input's shape with SumTo.
public sealed partial class Tensor
{
    /// <summary>a + b (broadcasting).</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = Elementwise.Binary<Elementwise.AddOp>(a, b, "add");
        if (ShouldRecord(a, b))
            y.RecordOp("add", [a, b], g => [g.SumTo(a.Shape), g.SumTo(b.Shape)]);
        return y;
    }

    /// <summary>a - b (broadcasting).</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var y = Elementwise.Binary<Elementwise.SubOp>(a, b, "sub");
        if (ShouldRecord(a, b))
            y.RecordOp("sub", [a, b], g => [g.SumTo(a.Shape), b.RequiresGrad ? (-g).SumTo(b.Shape) : null]);
        return y;
    }

    /// <summary>a * b elementwise (broadcasting).</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var y = Elementwise.Binary<Elementwise.MulOp>(a, b, "mul");
        if (ShouldRecord(a, b))
            y.RecordOp("mul", [a, b], g => [
                a.RequiresGrad ? (g * b).SumTo(a.Shape) : null,
                b.RequiresGrad ? (g * a).SumTo(b.Shape) : null]);
        return y;
    }

    /// <summary>a / b elementwise (broadcasting).</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var y = Elementwise.Binary<Elementwise.DivOp>(a, b, "div");
        if (ShouldRecord(a, b))
            y.RecordOp("div", [a, b], g => [
                a.RequiresGrad ? (g / b).SumTo(a.Shape) : null,
                b.RequiresGrad ? (-(g * a) / (b * b)).SumTo(b.Shape) : null]);
        return y;
    }

    /// <summary>a^b elementwise (broadcasting), as torch.pow(a, b).</summary>
    public static Tensor Pow(Tensor a, Tensor b)
    {
        var y = Elementwise.Binary<Elementwise.PowOp>(a, b, "pow");
        if (ShouldRecord(a, b))
            y.RecordOp("pow", [a, b], g =>
            {
                var zero = Scalar(0f);
                // PyTorch's masks: d/da is 0 where b == 0 (x^0 is constant, even at a = 0), and d/db is 0 where
                // a == 0 and b >= 0 (the limit of a^b·log a), rather than 0·(−∞) = NaN.
                return [a.RequiresGrad ? Where(EqualTo(b, zero), zero, g * b * Pow(a, b - 1f)).SumTo(a.Shape) : null,
                        b.RequiresGrad ? Where(EqualTo(a, zero) * GreaterEqual(b, zero), zero, g * y * a.Log()).SumTo(b.Shape) : null];
            });
        return y;
    }

    /// <summary>Elementwise maximum (broadcasting); NaN wins; at ties each side gets half the gradient (as torch.maximum).</summary>
    public static Tensor Maximum(Tensor a, Tensor b)
    {
        var y = Elementwise.Binary<Elementwise.MaxOp>(a, b, "maximum");
        if (ShouldRecord(a, b))
            y.RecordOp("maximum", [a, b], g =>
            {
                var half = EqualTo(a, b) * 0.5f;
                return [a.RequiresGrad ? (g * (Greater(a, b) + half)).SumTo(a.Shape) : null,
                        b.RequiresGrad ? (g * (Greater(b, a) + half)).SumTo(b.Shape) : null];
            });
        return y;
    }

    /// <summary>Elementwise minimum (broadcasting); NaN wins; at ties each side gets half the gradient (as torch.minimum).</summary>
    public static Tensor Minimum(Tensor a, Tensor b)
    {
        var y = Elementwise.Binary<Elementwise.MinOp>(a, b, "minimum");
        if (ShouldRecord(a, b))
            y.RecordOp("minimum", [a, b], g =>
            {
                var half = EqualTo(a, b) * 0.5f;
                return [a.RequiresGrad ? (g * (Greater(b, a) + half)).SumTo(a.Shape) : null,
                        b.RequiresGrad ? (g * (Greater(a, b) + half)).SumTo(b.Shape) : null];
            });
        return y;
    }

    /// <summary>1 where a &gt; b, else 0 (no gradient).</summary>
    public static Tensor Greater(Tensor a, Tensor b) => Elementwise.Binary<Elementwise.GreaterOp>(a, b, "greater");

    /// <summary>1 where a &gt;= b, else 0 (no gradient).</summary>
    public static Tensor GreaterEqual(Tensor a, Tensor b) => Elementwise.Binary<Elementwise.GreaterEqualOp>(a, b, "greater_equal");

    /// <summary>1 where a == b, else 0 (no gradient).</summary>
    public static Tensor EqualTo(Tensor a, Tensor b) => Elementwise.Binary<Elementwise.EqualOp>(a, b, "equal");

    /// <summary>Selects a where <paramref name="condition"/> is non-zero, else b (broadcasting all three).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        // where(c, a, b) = b + c01 * (a - b) would lose precision and propagate NaN/Inf from the unselected side,
        // so it is a select over the broadcast shape.
        var mask = Elementwise.Binary<Elementwise.NotEqualOp>(condition, Scalar(0f), "where");
        var shape = Shapes.Broadcast(Shapes.Broadcast(mask.Shape, a.Shape, "where"), b.Shape, "where");
        var m = mask.BroadcastTo(shape).Span;
        var y = Empty(shape);
        var av = a.Detach().BroadcastTo(shape).Span;
        var bv = b.Detach().BroadcastTo(shape).Span;
        var ys = y.Span;
        for (int i = 0; i < ys.Length; i++) ys[i] = m[i] != 0f ? av[i] : bv[i];
        if (ShouldRecord(a, b))
            y.RecordOp("where", [a, b], g =>
            {
                var zero = ZerosLike(g);
                return [a.RequiresGrad ? Where(mask, g, zero).SumTo(a.Shape) : null,
                        b.RequiresGrad ? Where(mask, zero, g).SumTo(b.Shape) : null];
            });
        return y;
    }

    /// <summary>Reads this tensor as <paramref name="shape"/> by repeating broadcast dimensions (a copy).</summary>
    public Tensor BroadcastTo(int[] shape)
    {
        if (Shapes.Equal(Shape, shape)) return this;
        var target = Shapes.Broadcast(Shape, shape, "broadcast_to");
        if (!Shapes.Equal(target, shape))
            throw new ArgumentException($"BroadcastTo: {Shapes.Format(Shape)} cannot be broadcast to {Shapes.Format(shape)}", nameof(shape));
        var y = Empty(shape);
        Strided.Copy(Span, Shapes.BroadcastStrides(Shape, shape), shape, y.Span);
        if (ShouldRecord(this)) y.RecordOp("broadcast_to", [this], g => [g.SumTo(Shape)]);
        return y;
    }

    /// <summary>Sums a broadcast gradient back down to <paramref name="shape"/> (the adjoint of broadcasting).</summary>
    public Tensor SumTo(int[] shape)
    {
        if (Shapes.Equal(Shape, shape)) return this;
        int lead = Rank - shape.Length;
        if (lead < 0) throw new ArgumentException($"SumTo: {Shapes.Format(Shape)} has lower rank than {Shapes.Format(shape)}", nameof(shape));
        var axes = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (i < lead) { axes.Add(i); continue; }
            int target = shape[i - lead];
            if (target == 1 && Shape[i] != 1) axes.Add(i);
            else if (target != Shape[i]) throw new ArgumentException($"SumTo: {Shapes.Format(Shape)} does not reduce to {Shapes.Format(shape)}", nameof(shape));
        }
        return Sum(axes.ToArray(), keepDim: true).Reshape(shape);
    }

    // ---- operators ---------------------------------------------------------------------------------

    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Sub(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Mul(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Div(a, b);
    public static Tensor operator +(Tensor a, float b) => a.AddScalar(b);
    public static Tensor operator +(float a, Tensor b) => b.AddScalar(a);
    public static Tensor operator -(Tensor a, float b) => a.AddScalar(-b);
    public static Tensor operator -(float a, Tensor b) => (-b).AddScalar(a);
    public static Tensor operator *(Tensor a, float b) => a.MulScalar(b);
    public static Tensor operator *(float a, Tensor b) => b.MulScalar(a);
    public static Tensor operator /(Tensor a, float b) => a.MulScalar(1f / b);
    public static Tensor operator /(float a, Tensor b) => Div(Scalar(a), b);
    public static Tensor operator -(Tensor a) => a.MulScalar(-1f);

    /// <summary>this + c.</summary>
    public Tensor AddScalar(float c)
    {
        var y = Empty(Shape);
        TensorPrimitives.Add(Span, c, y.Span);
        if (ShouldRecord(this)) y.RecordOp("add_scalar", [this], g => [g]);
        return y;
    }

    /// <summary>this * c.</summary>
    public Tensor MulScalar(float c)
    {
        var y = Empty(Shape);
        TensorPrimitives.Multiply(Span, c, y.Span);
        if (ShouldRecord(this)) y.RecordOp("mul_scalar", [this], g => [g.MulScalar(c)]);
        return y;
    }
}
