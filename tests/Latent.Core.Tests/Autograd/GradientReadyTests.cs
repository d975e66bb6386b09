using Latent.Core;

namespace Latent.Core.Tests.Autograd;

/// <summary>
/// <see cref="Tensor.Backward"/>'s <c>gradientReady</c> callback: once per leaf, during the pass, with the leaf's final
/// gradient already in <see cref="Tensor.Grad"/>, last-used parameters first, and the same bits as a plain pass.
/// </summary>
public class GradientReadyTests
{
    private static Tensor Random(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        var v = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return Tensor.FromArray(v, shape);
    }

    /// <summary>w1 [3,5], b1 [5], w2 [5,2], b2 [2]; w1 is read twice (the layer and a penalty added at the end).</summary>
    private static (Tensor[] Leaves, Tensor Loss) Net()
    {
        var x = Random(1, 4, 3);
        var w1 = Random(2, 3, 5).RequireGrad();
        var b1 = Random(3, 5).RequireGrad();
        var w2 = Random(4, 5, 2).RequireGrad();
        var b2 = Random(5, 2).RequireGrad();
        var h = (Tensor.MatMul(x, w1) + b1).Relu();
        var y = Tensor.MatMul(h, w2) + b2;
        var loss = (y * y).Sum() + (w1 * w1).Sum() * 0.1f;
        return ([w1, b1, w2, b2], loss);
    }

    [Fact]
    public void EachLeafIsReportedOnceWithItsFinalGradientLastLayerFirst()
    {
        var (plainLeaves, plainLoss) = Net();
        plainLoss.Backward();

        var (leaves, loss) = Net();
        var seen = new List<(Tensor Leaf, float[] Grad)>();
        loss.Backward(gradientReady: leaf => seen.Add((leaf, leaf.Grad!.ToArray())));

        Assert.Equal(leaves.Length, seen.Count);
        Assert.Equal(leaves.Length, seen.Select(s => s.Leaf).Distinct(ReferenceEqualityComparer.Instance).Count());
        foreach (var (leaf, grad) in seen)
        {
            int i = Array.FindIndex(leaves, l => ReferenceEquals(l, leaf));
            Assert.True(i >= 0, "the callback reported a tensor that is not a leaf of the loss");
            Assert.Equal(plainLeaves[i].Grad!.ToArray(), grad); // final at the time of the call, bit for bit
            Assert.Equal(grad, leaf.Grad!.ToArray());
        }
        int Position(Tensor t) => seen.FindIndex(s => ReferenceEquals(s.Leaf, t));
        Assert.True(Position(leaves[2]) < Position(leaves[0]), "w2 (second layer) should be ready before w1 (first layer)");
        Assert.True(Position(leaves[3]) < Position(leaves[1]), "b2 (second layer) should be ready before b1 (first layer)");
    }

    [Fact]
    public void AnExistingGradientIsAccumulatedBeforeTheCallback()
    {
        var (plainLeaves, plainLoss) = Net();
        plainLoss.Backward();

        var (leaves, loss) = Net();
        foreach (var l in leaves) l.Grad = Tensor.OnesLike(l);
        int calls = 0;
        loss.Backward(gradientReady: leaf =>
        {
            calls++;
            int i = Array.FindIndex(leaves, l => ReferenceEquals(l, leaf));
            Assert.Equal((plainLeaves[i].Grad! + 1f).ToArray(), leaf.Grad!.ToArray());
        });
        Assert.Equal(leaves.Length, calls);
    }
}
