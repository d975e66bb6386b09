using Latent.Core;
using Latent.Core.Autograd;

namespace Latent.Core.Tests.Autograd;

/// <summary>
/// The backward pass recycles the buffers it drops (<see cref="BufferPool"/>): nothing visible outside a pass may
/// change when a later pass reuses them, and the recycling must actually happen.
/// </summary>
public class BufferPoolTests
{
    // Big enough for the pool (>= BufferPool.MinLength floats per intermediate gradient).
    private const int N = 3 * BufferPool.MinLength;

    private static Tensor Input(int seed)
    {
        var rng = new Random(seed);
        var v = new float[N];
        for (int i = 0; i < N; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return Tensor.FromArray(v);
    }

    /// <summary>A chain whose intermediate gradients are all pool-sized: relu, scaling, exp, sum.</summary>
    private static Tensor Loss(Tensor x, Tensor w) => ((x * w).Relu() * 3f + (x - w).Exp()).Sum();

    [Fact]
    public void LeafGradientsSurviveLaterPasses()
    {
        var w = Input(1).RequireGrad();
        Loss(Input(2), w).Backward();
        var first = w.Grad!;
        var kept = first.ToArray();
        for (int i = 0; i < 3; i++)
        {
            w.Grad = null;
            Loss(Input(3 + i), w).Backward();
        }
        Assert.Equal(kept, first.ToArray());
    }

    [Fact]
    public void GradResultsSurviveLaterPasses()
    {
        var w = Input(1).RequireGrad();
        var x = Input(2).RequireGrad();
        var h = (x * w).Relu(); // a non-leaf "wanted" tensor: its gradient is an intermediate buffer of the pass
        var grads = Gradients.Grad((h * 3f + (x - w).Exp()).Sum(), [h, w]);
        var kept = grads.Select(g => g.ToArray()).ToArray();
        for (int i = 0; i < 3; i++) Loss(Input(3 + i), Input(9 + i).RequireGrad()).Backward();
        for (int k = 0; k < grads.Length; k++) Assert.Equal(kept[k], grads[k].ToArray());
    }

    [Fact]
    public void GradientsHandedToUserRulesAreNeverRecycled()
    {
        var w = Input(1).RequireGrad();
        Tensor? seen = null;
        // A user op (public Record) that keeps the gradient it is given, the pool-sized output of exp's rule.
        var y = Tensor.FromArray(w.ToArray(), N);
        y.Record("keep", [w], g => { seen = g; return [g * 1f]; });
        (y.Exp() * 2f).Sum().Backward();
        var kept = seen!.ToArray();
        for (int i = 0; i < 3; i++) Loss(Input(3 + i), Input(9 + i).RequireGrad()).Backward();
        Assert.Equal(kept, seen!.ToArray());
    }

    [Fact]
    public void RepeatedPassesGiveTheSameBitsAndReuseBuffers()
    {
        var x = Input(2);
        var w = Input(1).RequireGrad();
        var loss = Loss(x, w);
        loss.Backward();
        var once = w.Grad!.ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        w.Grad = null;
        loss.Backward(); // the same graph again: its dropped gradients come from the first pass's buffers
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(once, w.Grad!.ToArray());
        // Five pool-sized intermediates would be ~5 * 4 * N bytes without recycling; only the escaping leaf
        // gradient (4 * N) and small objects are new.
        Assert.True(allocated < 3L * 4 * N, $"second pass allocated {allocated} bytes");
    }

    [Fact]
    public void CreateGraphPassesDoNotRecycle()
    {
        var x = Input(2);
        var w = Input(1).RequireGrad();
        var g = Gradients.Grad(Loss(x, w), [w], createGraph: true)[0];
        var kept = g.ToArray();
        // A second-order pass through g's graph, then more ordinary passes: g's graph and values stay intact.
        (g * g).Sum().Backward();
        for (int i = 0; i < 2; i++) Loss(Input(3 + i), Input(9 + i).RequireGrad()).Backward();
        Assert.Equal(kept, g.ToArray());
    }
}
