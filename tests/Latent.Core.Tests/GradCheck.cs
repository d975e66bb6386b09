using Latent.Core.Autograd;

namespace Latent.Core.Tests;

/// <summary>
/// Finite-difference gradient checker. For L = Σ_k sum(W_k ⊙ f(x)_k) with fixed random W_k, compares the
/// autodiff gradient dL/dx_i (from <see cref="Tensor.Backward"/>) with a five-point central difference
/// for every element of every input.
/// </summary>
/// <remarks>
/// float32 forward passes carry relative rounding of ~6e-8, so a tiny step drowns in noise. The step is
/// h = 2^-7 (exactly representable, so x ± h is exact for |x| &lt; 2) and the fourth-order stencil
/// (8[L(x+h) − L(x−h)] − [L(x+2h) − L(x−2h)]) / 12h keeps the truncation error at O(h⁴) ≈ 4e-9·L⁽⁵⁾,
/// while roundoff stays below ~1e-4 for |L| ~ 10; L itself is accumulated in double. Inputs must stay
/// at least 2h away from kinks (relu at 0, ties of max/top-k), which the tests arrange.
/// </remarks>
internal static class GradCheck
{
    public const double Step = 1.0 / 128;

    /// <summary>Checks a single-output function.</summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double atol = 2e-3, double rtol = 2e-3, ulong seed = 1234,
        bool[]? differentiable = null) =>
        Check(xs => [f(xs)], inputs, atol, rtol, seed, differentiable);

    /// <summary>Checks a function with several outputs (split, chunk...): L sums a weighted sum of each.</summary>
    public static void Check(Func<Tensor[], Tensor[]> f, Tensor[] inputs, double atol = 2e-3, double rtol = 2e-3, ulong seed = 1234,
        bool[]? differentiable = null)
    {
        var rng = new Rng(seed);
        var leaves = inputs.Select(x => x.Clone().RequireGrad()).ToArray();
        var outputs = f(leaves);
        var weights = outputs.Select(y => rng.Normal(y.Shape)).ToArray();

        Tensor? loss = null;
        for (int k = 0; k < outputs.Length; k++)
        {
            if (!outputs[k].RequiresGrad) continue;
            var term = (outputs[k] * weights[k]).Sum();
            loss = loss is null ? term : loss + term;
        }
        // No output on the graph (a constant gradient map in the second-order check): every derivative is 0.
        loss?.Backward();

        for (int i = 0; i < inputs.Length; i++)
        {
            if (differentiable is not null && !differentiable[i]) continue;
            var analytic = leaves[i].Grad?.ToArray() ?? new float[inputs[i].Size];
            Assert.Equal(inputs[i].Size, analytic.Length);
            for (int j = 0; j < inputs[i].Size; j++)
            {
                double Eval(double delta)
                {
                    var xs = inputs.Select(x => x.Clone().RequireGrad()).ToArray();
                    xs[i].Span[j] = (float)(inputs[i].Span[j] + delta);
                    return WeightedSum(f(xs), weights);
                }
                double numeric = (8 * (Eval(Step) - Eval(-Step)) - (Eval(2 * Step) - Eval(-2 * Step))) / (12 * Step);
                double a = analytic[j];
                double tol = atol + rtol * Math.Max(Math.Abs(a), Math.Abs(numeric));
                if (!(Math.Abs(a - numeric) <= tol))
                    Assert.Fail($"input {i} element {j} (value {inputs[i].Span[j]}): autodiff {a:G7} vs finite difference {numeric:G7} (tolerance {tol:G3})");
            }
        }
    }

    /// <summary>
    /// Second-order check: the gradient map x ↦ d/dx sum(V ⊙ f(x)), built with createGraph, is itself
    /// checked by finite differences, which exercises every backward rule's own backward.
    /// </summary>
    public static void CheckSecondOrder(Func<Tensor[], Tensor> f, Tensor[] inputs, double atol = 3e-3, double rtol = 3e-3, ulong seed = 99)
    {
        var rng = new Rng(seed);
        Tensor? v = null;
        Tensor[] GradMap(Tensor[] xs)
        {
            var y = f(xs);
            v ??= rng.Normal(y.Shape);
            return Gradients.Grad((y * v).Sum(), xs, createGraph: true);
        }
        Check(GradMap, inputs, atol, rtol, seed + 1);
    }

    private static double WeightedSum(Tensor[] outputs, Tensor[] weights)
    {
        double s = 0;
        for (int k = 0; k < outputs.Length; k++)
        {
            var y = outputs[k].Span;
            var w = weights[k].Span;
            for (int e = 0; e < y.Length; e++) s += (double)y[e] * w[e];
        }
        return s;
    }

    /// <summary>Normal values rounded away from a set of kinks so that x ± 2h never crosses one.</summary>
    public static Tensor AwayFrom(Rng rng, int[] shape, float[] kinks, float margin = 0.05f, float scale = 1f)
    {
        var t = rng.Normal(shape, 0f, scale);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++)
            foreach (float k in kinks)
                if (MathF.Abs(s[i] - k) < margin) s[i] = k + (s[i] >= k ? margin : -margin) * 1.5f;
        return t;
    }

    /// <summary>A random arrangement of well-separated values (0.1 apart), for max/min/top-k/sort: no ties within 2h.</summary>
    public static Tensor Distinct(Rng rng, params int[] shape)
    {
        int n = Shapes.Size(shape);
        var perm = rng.Permutation(n);
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (perm[i] - n / 2f) * 0.1f;
        return new Tensor(data, shape);
    }
}
