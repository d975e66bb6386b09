using System.Numerics.Tensors;

namespace Latent.Core;

// Unary elementwise ops. Where the derivative is cheap to express in the output (exp, sigmoid, tanh) the
// backward uses the saved output; the fused *Grad ops below are themselves differentiable, so second-order
// gradients flow through them.
public sealed partial class Tensor
{
    private Tensor Map(Action<ReadOnlySpan<float>, Span<float>> kernel)
    {
        var y = Empty(Shape);
        kernel(Span, y.Span);
        return y;
    }

    private Tensor MapScalar(Func<float, float> f)
    {
        var y = Empty(Shape);
        ReadOnlySpan<float> x = Span;
        var ys = y.Span;
        for (int i = 0; i < ys.Length; i++) ys[i] = f(x[i]);
        return y;
    }

    private static Tensor Map2(Tensor a, Tensor b, Func<float, float, float> f, string op)
    {
        if (!Shapes.Equal(a.Shape, b.Shape)) throw new ArgumentException($"{op}: {Shapes.Format(a.Shape)} vs {Shapes.Format(b.Shape)}");
        var y = Empty(a.Shape);
        ReadOnlySpan<float> x1 = a.Span, x2 = b.Span;
        var ys = y.Span;
        for (int i = 0; i < ys.Length; i++) ys[i] = f(x1[i], x2[i]);
        return y;
    }

    /// <summary>e^x.</summary>
    public Tensor Exp()
    {
        var y = Map(TensorPrimitives.Exp);
        if (ShouldRecord(this)) y.RecordOp("exp", [this], g => [g * y]);
        return y;
    }

    /// <summary>Natural logarithm.</summary>
    public Tensor Log()
    {
        var y = Map(TensorPrimitives.Log);
        if (ShouldRecord(this)) y.RecordOp("log", [this], g => [g / this]);
        return y;
    }

    /// <summary>Square root.</summary>
    public Tensor Sqrt()
    {
        var y = Map(TensorPrimitives.Sqrt);
        if (ShouldRecord(this)) y.RecordOp("sqrt", [this], g => [g * 0.5f / y]);
        return y;
    }

    /// <summary>|x|; the gradient at 0 is 0, as in PyTorch.</summary>
    public Tensor Abs()
    {
        var y = Map(TensorPrimitives.Abs);
        if (ShouldRecord(this)) y.RecordOp("abs", [this], g => [g * Sign()]);
        return y;
    }

    /// <summary>-1, 0 or 1 (no gradient).</summary>
    public Tensor Sign() => MapScalar(v => v > 0 ? 1f : v < 0 ? -1f : 0f);

    /// <summary>x^p for a constant exponent.</summary>
    public Tensor Pow(float p)
    {
        if (p == 2f) return Square();
        if (p == 1f) return this * 1f;
        var y = Map((x, d) => TensorPrimitives.Pow(x, p, d));
        // x^0 is constant: PyTorch's gradient is 0 everywhere, not 0·x^-1 (NaN at x = 0).
        if (ShouldRecord(this)) y.RecordOp("pow", [this], g => [p == 0f ? ZerosLike(g) : g * p * Pow(p - 1f)]);
        return y;
    }

    /// <summary>x².</summary>
    public Tensor Square()
    {
        var y = Map((x, d) => TensorPrimitives.Multiply(x, x, d));
        if (ShouldRecord(this)) y.RecordOp("square", [this], g => [g * this * 2f]);
        return y;
    }

    /// <summary>Clamps to [min, max]; the gradient passes where min &lt;= x &lt;= max.</summary>
    public Tensor Clamp(float min = float.NegativeInfinity, float max = float.PositiveInfinity)
    {
        if (min > max) throw new ArgumentException($"Clamp: min {min} > max {max}");
        var y = MapScalar(v => v < min ? min : v > max ? max : v);
        if (ShouldRecord(this))
        {
            var x = this;
            y.RecordOp("clamp", [this], g => [g * x.MapScalar(v => v >= min && v <= max ? 1f : 0f)]);
        }
        return y;
    }

    /// <summary>max(x, 0).</summary>
    public Tensor Relu()
    {
        var y = Empty(Shape);
        Kernels.ReluBackward.ForwardParallel(Storage, y.Storage, Size);
        if (ShouldRecord(this)) y.RecordOp("relu", [this], g => [ReluGrad(g, this)]);
        return y;
    }

    /// <summary>g where x &gt; 0, else 0: ReLU's backward, differentiable in g.</summary>
    private static Tensor ReluGrad(Tensor g, Tensor x)
    {
        if (!Shapes.Equal(g.Shape, x.Shape)) throw new ArgumentException($"relu_grad: {Shapes.Format(g.Shape)} vs {Shapes.Format(x.Shape)}");
        var y = Empty(x.Shape);
        Kernels.ReluBackward.RunParallel(g.Storage, x.Storage, y.Storage, y.Size);
        if (ShouldRecord(g)) y.RecordOp("relu_grad", [g, x], gg => [ReluGrad(gg, x), null]);
        return y;
    }

    /// <summary>x for x &gt; 0, else slope·x.</summary>
    public Tensor LeakyRelu(float slope = 0.01f)
    {
        var y = MapScalar(v => v > 0f ? v : slope * v);
        if (ShouldRecord(this)) y.RecordOp("leaky_relu", [this], g => [g * MapScalar(v => v > 0f ? 1f : slope)]);
        return y;
    }

    /// <summary>x for x &gt; 0, else alpha·(e^x − 1).</summary>
    public Tensor Elu(float alpha = 1f)
    {
        var y = MapScalar(v => v > 0f ? v : alpha * (MathF.Exp(v) - 1f));
        if (ShouldRecord(this))
            y.RecordOp("elu", [this], g =>
            {
                var positive = Greater(this, Scalar(0f));
                // d/dx = 1 for x > 0, else alpha·e^x = y + alpha (written with the saved output).
                return [g * Where(positive, OnesLike(this), y + alpha)];
            });
        return y;
    }

    /// <summary>1 / (1 + e^-x).</summary>
    public Tensor Sigmoid()
    {
        var y = Map(TensorPrimitives.Sigmoid);
        if (ShouldRecord(this)) y.RecordOp("sigmoid", [this], g => [SigmoidGrad(g, y)]);
        return y;
    }

    /// <summary>g·y·(1−y) for y = sigmoid(x).</summary>
    private static Tensor SigmoidGrad(Tensor g, Tensor y)
    {
        var r = Map2(g, y, static (gv, yv) => gv * yv * (1f - yv), "sigmoid_grad");
        if (ShouldRecord(g, y))
            r.RecordOp("sigmoid_grad", [g, y], gg => [SigmoidGrad(gg, y), gg * g * (1f - 2f * y)]);
        return r;
    }

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh()
    {
        var y = Map(TensorPrimitives.Tanh);
        if (ShouldRecord(this)) y.RecordOp("tanh", [this], g => [TanhGrad(g, y)]);
        return y;
    }

    /// <summary>g·(1−y²) for y = tanh(x).</summary>
    private static Tensor TanhGrad(Tensor g, Tensor y)
    {
        var r = Map2(g, y, static (gv, yv) => gv * (1f - yv * yv), "tanh_grad");
        if (ShouldRecord(g, y))
            r.RecordOp("tanh_grad", [g, y], gg => [TanhGrad(gg, y), gg * g * y * -2f]);
        return r;
    }

    /// <summary>log(1 + e^x), computed stably; like PyTorch it returns x where x &gt; 20.</summary>
    public Tensor Softplus()
    {
        var y = MapScalar(static v => v > 20f ? v : MathF.Max(v, 0f) + (float)Log1p(Math.Exp(-Math.Abs(v))));
        if (ShouldRecord(this)) y.RecordOp("softplus", [this], g => [g * Sigmoid()]);
        return y;
    }

    /// <summary>log(1 + x), accurate for tiny x where 1 + x rounds to 1 (the u = 1 + x, log(u)·x/(u − 1) correction).</summary>
    private static double Log1p(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * (x / (u - 1.0));
    }

    /// <summary>GELU with the exact Gaussian CDF: x·Φ(x).</summary>
    public Tensor Gelu()
    {
        var y = MapScalar(static v => v * NormalCdf(v));
        if (ShouldRecord(this)) y.RecordOp("gelu", [this], g => [GeluGrad(g, this)]);
        return y;
    }

    /// <summary>g·(Φ(x) + x·φ(x)); its own derivative in x is g·φ(x)·(2 − x²).</summary>
    private static Tensor GeluGrad(Tensor g, Tensor x)
    {
        var r = Map2(g, x, static (gv, xv) => gv * (NormalCdf(xv) + xv * NormalPdf(xv)), "gelu_grad");
        if (ShouldRecord(g, x))
            r.RecordOp("gelu_grad", [g, x], gg => [GeluGrad(gg, x), gg * g * x.MapScalar(static v => NormalPdf(v) * (2f - v * v))]);
        return r;
    }

    private static float NormalPdf(float x) => 0.3989422804014327f * MathF.Exp(-0.5f * x * x);

    private static float NormalCdf(float x) => (float)(0.5 * (1.0 + Erf(x / 1.4142135623730951)));

    /// <summary>erf with |error| &lt; 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), evaluated in double.</summary>
    internal static double Erf(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
                   t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
                   t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - r : r - 1.0;
    }
}
