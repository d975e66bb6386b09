using Latent.Core;
using Latent.Core.Autograd;

namespace Latent.Core.Tests.Autograd;

/// <summary>
/// <see cref="Tensor.Step"/>: a training step's graph storage goes back to the pool at the end of the scope, the next
/// step draws from it, the results are the same bits, and nothing the user may keep (leaf gradients, no-grad results,
/// optimizer-style state) is ever handed out again.
/// </summary>
public class StepScopeTests
{
    private const int N = 3 * BufferPool.MinLength;

    private static Tensor Input(int seed)
    {
        var rng = new Random(seed);
        var v = new float[N];
        for (int i = 0; i < N; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return Tensor.FromArray(v);
    }

    private static Tensor Loss(Tensor x, Tensor w) => ((x * w).Relu() * 3f + (x - w).Exp()).Sum();

    /// <summary>Three plain-SGD steps, with or without scopes; returns the weights after each step and the losses.</summary>
    private static (float[][] Weights, float[] Losses, long[] Allocated) Train(bool scoped)
    {
        var w = Input(1).RequireGrad();
        var weights = new float[3][];
        var losses = new float[3];
        var allocated = new long[3];
        for (int step = 0; step < 3; step++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            using (scoped ? Tensor.Step() : null)
            {
                var l = Loss(Input(10 + step), w);
                w.Grad = null;
                l.Backward();
                using (Tensor.NoGrad()) w.CopyFrom(w - w.Grad! * 0.01f);
                losses[step] = l.Item();
            }
            allocated[step] = GC.GetAllocatedBytesForCurrentThread() - before;
            weights[step] = w.ToArray();
        }
        return (weights, losses, allocated);
    }

    [Fact]
    public void StepsGiveTheSameBitsAndReuseTheGraphStorage()
    {
        var plain = Train(scoped: false);
        var scoped = Train(scoped: true);
        Assert.Equal(plain.Losses, scoped.Losses);
        for (int s = 0; s < 3; s++) Assert.Equal(plain.Weights[s], scoped.Weights[s]);
        // Unscoped, each step allocates its six pool-sized activations (x*w, relu, *3, x-w, exp, +) afresh; in a steady
        // scoped step they come from the previous step's graph. The input, the leaf gradient and the update stay new.
        Assert.True(scoped.Allocated[2] < plain.Allocated[2] - 3L * 4 * N,
            $"scoped step allocated {scoped.Allocated[2]} bytes, unscoped {plain.Allocated[2]}");
    }

    [Fact]
    public void LeafGradientsAndNoGradResultsAreNotRecycled()
    {
        var w = Input(1).RequireGrad();
        Tensor grad, state;
        using (Tensor.Step())
        {
            Loss(Input(2), w).Backward();
            grad = w.Grad!;
            using (Tensor.NoGrad()) state = w * 2f; // like optimizer state made inside a step
        }
        var keptGrad = grad.ToArray();
        var keptState = state.ToArray();
        for (int i = 0; i < 3; i++)
            using (Tensor.Step())
            {
                w.Grad = null;
                Loss(Input(3 + i), w).Backward();
            }
        Assert.Equal(keptGrad, grad.ToArray());
        Assert.Equal(keptState, state.ToArray());
    }

    [Fact]
    public void AccumulatedLeafGradientsAreNotRecycled()
    {
        var w = Input(1).RequireGrad();
        Tensor grad;
        using (Tensor.Step())
        {
            Loss(Input(2), w).Backward();
            Loss(Input(3), w).Backward(); // w.Grad = w.Grad + g: a new tensor made inside the scope
            grad = w.Grad!;
        }
        var kept = grad.ToArray();
        for (int i = 0; i < 3; i++)
            using (Tensor.Step())
            {
                w.Grad = null;
                Loss(Input(4 + i), w).Backward();
            }
        Assert.Equal(kept, grad.ToArray());
    }

    [Fact]
    public void CreateGraphLeafGradientsAreNotRecycled()
    {
        var w = Input(1).RequireGrad();
        Tensor grad;
        using (Tensor.Step())
        {
            Loss(Input(2), w).Backward(createGraph: true);
            grad = w.Grad!;
        }
        var kept = grad.ToArray();
        for (int i = 0; i < 3; i++)
            using (Tensor.Step())
            {
                w.Grad = null;
                Loss(Input(3 + i), w).Backward();
            }
        Assert.Equal(kept, grad.ToArray());
    }

    [Fact]
    public void ScratchScopesGiveTheSameBitsAndReuseEveryBuffer()
    {
        var w = Input(1);
        float[] Forward(Tensor x) => ((x * w).Relu() * 3f + (x - w).Exp()).ToArray();
        var expected = Forward(Input(2));
        long allocated = 0;
        using (Tensor.NoGrad())
            for (int i = 0; i < 3; i++)
            {
                var x = Input(2);
                long before = GC.GetAllocatedBytesForCurrentThread();
                float[] got;
                using (Tensor.Scratch()) got = Forward(x);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.Equal(expected, got);
            }
        // Five pool-sized temporaries (x*w, relu, *3, x-w, exp) and the sum come back each time; only the copy out is new.
        Assert.True(allocated < 3L * 4 * N, $"a steady scratch pass allocated {allocated} bytes");
    }
}
