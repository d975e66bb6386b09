using Latent.Core;
using Latent.Core.Autograd;

namespace Latent.NN.Tests;

/// <summary>Tensor comparisons and finite-difference gradient checks.</summary>
internal static class Check
{
    /// <summary>Asserts equal shapes and |a − e| ≤ atol + rtol·|e| everywhere, naming the first bad element.</summary>
    public static void Close(Tensor expected, Tensor actual, float rtol = 1e-5f, float atol = 1e-6f, string what = "")
    {
        Assert.True(Shapes.Equal(expected.Shape, actual.Shape),
            $"{what}: shape {Shapes.Format(actual.Shape)}, expected {Shapes.Format(expected.Shape)}");
        var e = expected.Span;
        var a = actual.Span;
        for (int i = 0; i < e.Length; i++)
        {
            float tol = atol + rtol * MathF.Abs(e[i]);
            if (!(MathF.Abs(a[i] - e[i]) <= tol))
                Assert.Fail($"{what}: element {i} is {a[i]:R}, expected {e[i]:R} (|diff| {MathF.Abs(a[i] - e[i]):G3} > {tol:G3})");
        }
    }

    /// <summary>
    /// Compares the autograd gradient of the scalar <paramref name="f"/> with central differences in each
    /// element of each input (float32 arithmetic, so the tolerances are loose but far below any real error).
    /// </summary>
    public static void Gradients(Func<Tensor> f, Tensor[] inputs, float step = 1e-2f, float rtol = 2e-2f, float atol = 2e-3f)
    {
        var analytic = Latent.Core.Autograd.Gradients.Grad(f(), inputs);
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            var numeric = Tensor.ZerosLike(x);
            for (int i = 0; i < x.Size; i++)
            {
                float v = x.Span[i];
                // Evaluated with grad mode on: f may itself differentiate (second-order checks).
                x.Span[i] = v + step;
                float plus = f().Item();
                x.Span[i] = v - step;
                float minus = f().Item();
                x.Span[i] = v;
                numeric.Span[i] = (float)(((double)plus - minus) / (2.0 * step));
            }
            Close(numeric, analytic[k], rtol, atol, $"gradient of input {k}");
        }
    }

    /// <summary>Σ y ⊙ u for a fixed random u: a scalar that sees every output element.</summary>
    public static Tensor Project(Tensor y, ulong seed = 99) => (y * new Rng(seed).Normal(y.Shape)).Sum();
}
