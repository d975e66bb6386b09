using Latent.Core;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Layers;

public class ShapeLayerTests
{
    [Fact]
    public void FlattenMergesTheGivenAxes()
    {
        var x = Tensor.Arange(120).Reshape(2, 3, 4, 5);
        Assert.Equal([2, 60], new Flatten().Forward(x).Shape);
        Assert.Equal([2, 12, 5], new Flatten(1, 2).Forward(x).Shape);
        Assert.Equal([120], new Flatten(0).Forward(x).Shape);
        Assert.Equal(x.ToArray(), new Flatten().Forward(x).ToArray());
        Assert.Throws<ArgumentException>(() => new Flatten(2, 1).Forward(x));
    }

    [Fact]
    public void UnflattenSplitsAnAxisAndInvertsFlatten()
    {
        var x = Tensor.Arange(24).Reshape(2, 12);
        var y = new Unflatten(1, [3, 4]).Forward(x);
        Assert.Equal([2, 3, 4], y.Shape);
        Assert.Equal(x.ToArray(), new Flatten().Forward(y).ToArray());
        Assert.Equal([2, 3, 4], new Unflatten(-1, [3, 4]).Forward(x).Shape);
        var ex = Assert.Throws<ArgumentException>(() => new Unflatten(1, [5, 2]).Forward(x));
        Assert.Contains("Unflatten", ex.Message);
    }
}
