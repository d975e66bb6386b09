using Latent.Core.Autograd;

namespace Latent.Core.Tests.Ops;

/// <summary>Random tensors, tolerant comparison and finite-difference gradient checks for the conv tests.</summary>
internal static class ConvTestUtil
{
    public static Tensor Random(Random rng, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    public static double[] ToDouble(Tensor t) => Array.ConvertAll(t.ToArray(), v => (double)v);

    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            if (!(err <= atol + rtol * Math.Abs(expected[i])))
                Assert.Fail($"{what}: element {i}: expected {expected[i]:G9}, got {actual[i]:G9} (error {err:G3})");
        }
    }

    /// <summary>
    /// Checks the autograd gradient of L = Σ op(inputs)·R against central differences of
    /// <paramref name="reference"/> (a double-precision twin of the op) at up to <paramref name="samples"/>
    /// random elements of each input. The ops are linear in each input, so the differences are exact up to rounding.
    /// </summary>
    public static void CheckGradients(Random rng, Tensor[] inputs, Func<Tensor[], Tensor> op, Func<double[][], double[]> reference,
        string what, int samples = 16, double h = 1e-3, double tol = 2e-4)
    {
        foreach (var t in inputs) t.RequiresGrad = true;
        var y = op(inputs);
        var r = Random(rng, y.Shape);
        var grads = Gradients.Grad((y * r).Sum(), inputs);
        var rd = ToDouble(r);
        var xd = inputs.Select(ToDouble).ToArray();
        double Loss()
        {
            var yd = reference(xd);
            double s = 0;
            for (int i = 0; i < yd.Length; i++) s += yd[i] * rd[i];
            return s;
        }
        for (int k = 0; k < inputs.Length; k++)
        {
            Assert.Equal(inputs[k].Shape, grads[k].Shape);
            int count = Math.Min(samples, inputs[k].Size);
            for (int c = 0; c < count; c++)
            {
                int i = count == inputs[k].Size ? c : rng.Next(inputs[k].Size);
                double old = xd[k][i];
                xd[k][i] = old + h; double plus = Loss();
                xd[k][i] = old - h; double minus = Loss();
                xd[k][i] = old;
                double fd = (plus - minus) / (2 * h);
                double got = grads[k].Span[i];
                if (!(Math.Abs(got - fd) <= tol * (1 + Math.Abs(fd))))
                    Assert.Fail($"{what}: d/d input {k} [{i}]: finite difference {fd:G7}, autograd {got:G7}");
            }
        }
    }
}
