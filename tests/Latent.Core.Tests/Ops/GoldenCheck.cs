namespace Latent.Core.Tests.Ops;

/// <summary>Runs one golden case through Latent and compares with PyTorch's numbers.</summary>
/// <remarks>
/// Tolerance |got − want| ≤ atol + rtol·|want| with rtol = 1e-4, atol = 1e-5 for elementwise ops. Ops that
/// sum many terms (reductions, matmul, convolutions, and every backward that reduces a broadcast gradient)
/// add atol·√n·scale, where n is the number of summed terms: PyTorch and Latent add in different orders
/// (pairwise/SIMD vs row-wise), and float32 rounding of a sum of n terms of size s grows like √n·s·6e-8.
/// </remarks>
internal static class GoldenCheck
{
    public const double Rtol = 1e-4, Atol = 1e-5;

    public static void Run(GoldenCase c)
    {
        var leaves = c.Inputs.Select((x, i) => c.Differentiable[i] ? x.Clone().RequireGrad() : x.Clone()).ToArray();
        var outputs = GoldenOps.Run(c.Op, c.Params, leaves);
        Assert.Equal(c.Outputs.Length, outputs.Length);
        double atol = Atol * SumScale(c);
        for (int k = 0; k < outputs.Length; k++) Compare(c.Name, $"output {k}", c.Outputs[k], outputs[k], atol);

        Tensor? loss = null;
        for (int k = 0; k < outputs.Length; k++)
            if (outputs[k].RequiresGrad)
            {
                var term = (outputs[k] * c.Weights[k]).Sum();
                loss = loss is null ? term : loss + term;
            }
        if (loss is null)
        {
            Assert.All(c.Grads, g => Assert.Null(g));
            return;
        }
        loss.Backward();
        for (int i = 0; i < leaves.Length; i++)
        {
            if (c.Grads[i] is not { } want) continue;
            var got = leaves[i].Grad ?? Tensor.ZerosLike(leaves[i]);
            Compare(c.Name, $"grad of input {i}", want, got, atol);
        }
    }

    /// <summary>√(terms per output) times the input magnitude (clamped to [1, 10]: huge inputs only appear in saturating edge cases).</summary>
    private static double SumScale(GoldenCase c)
    {
        int inSize = c.Inputs.Max(x => x.Size);
        int outSize = Math.Max(1, c.Outputs.Min(o => o.Size));
        double terms = Math.Max(1.0, (double)inSize / outSize);
        // Every backward reduces gradients over broadcast or reduced axes, so allow for the larger side too.
        terms = Math.Max(terms, (double)c.Outputs.Max(o => o.Size) / Math.Max(1, c.Inputs.Min(x => x.Size)));
        double scale = Math.Clamp(c.Inputs.Max(x => x.Size == 0 ? 0 : x.ToArray().Where(float.IsFinite).Select(MathF.Abs).DefaultIfEmpty(0f).Max()), 1.0, 10.0);
        return Math.Sqrt(terms) * scale;
    }

    private static void Compare(string name, string what, Tensor want, Tensor got, double atol)
    {
        Assert.True(Shapes.Equal(want.Shape, got.Shape), $"{name} {what}: shape {Shapes.Format(got.Shape)}, PyTorch {Shapes.Format(want.Shape)}");
        for (int i = 0; i < want.Size; i++)
        {
            float w = want.Span[i], g = got.Span[i];
            if (!float.IsFinite(w))
            {
                Assert.True(w.Equals(g), $"{name} {what}[{i}]: {g} but PyTorch {w}");
                continue;
            }
            double err = Math.Abs((double)g - w);
            if (!(err <= atol + Rtol * Math.Abs(w)))
                Assert.Fail($"{name} {what}[{i}]: {g:G9} but PyTorch {w:G9} (|diff| {err:G3} > {atol + Rtol * Math.Abs(w):G3})");
        }
    }
}
