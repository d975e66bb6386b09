using Latent.Core;
using Latent.Core.Autograd;

namespace Latent.Models.Tests.Distributions;

/// <summary>Autograd gradients of a scalar against central finite differences.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// Asserts that the gradient of <paramref name="f"/> in every element of every input matches (f(x+h) − f(x−h)) / 2h
    /// within atol + rtol·|numeric| (float32 arithmetic, so the tolerances are loose but far below any real error).
    /// </summary>
    public static void Check(Func<Tensor> f, Tensor[] inputs, float step = 1e-2f, double rtol = 2e-2, double atol = 2e-3)
    {
        var analytic = Gradients.Grad(f(), inputs);
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            var a = analytic[k].ToArray();
            for (int i = 0; i < x.Size; i++)
            {
                float v = x.Span[i];
                x.Span[i] = v + step;
                double plus = f().Item();
                x.Span[i] = v - step;
                double minus = f().Item();
                x.Span[i] = v;
                double numeric = (plus - minus) / (2.0 * step);
                Assert.True(Math.Abs(a[i] - numeric) <= atol + rtol * Math.Abs(numeric),
                    $"input {k} element {i}: autograd {a[i]:R}, finite differences {numeric:R}");
            }
        }
    }

    /// <summary>Σ y ⊙ u for a fixed random u: a scalar that sees every element of y.</summary>
    public static Tensor Project(Tensor y, ulong seed = 99) => (y * new Rng(seed).Normal(y.Shape)).Sum();

}
