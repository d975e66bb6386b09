using Latent.Core;
using Latent.Core.Autograd;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Layers;

public class EmbeddingTests
{
    [Fact]
    public void LookupAndGradientMatchPyTorch()
    {
        var g = Golden.Case("embedding");
        var emb = new Embedding(7, 4, new Rng(0));
        emb.Weight.CopyFrom(g.T("weight"));
        var y = emb.Forward(g.GetProperty("ids").Ints(), g.GetProperty("ids_shape").Ints());
        var gw = Gradients.Grad((y * g.T("g")).Sum(), [emb.Weight])[0];
        Check.Close(g.T("y"), y, 0f, 0f, "lookup");
        Check.Close(g.T("grad_weight"), gw, 1e-6f, 1e-7f, "dweight");
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var emb = new Embedding(5, 3, new Rng(2));
        Check.Gradients(() => Check.Project(emb.Forward([4, 0, 4, 2])), [emb.Weight]);
    }

    [Fact]
    public void OutOfRangeIndexThrows()
    {
        var emb = new Embedding(5, 3, new Rng(2));
        var ex = Assert.Throws<ArgumentException>(() => emb.Forward([1, 5]));
        Assert.Contains("Embedding", ex.Message);
        Assert.Contains("[5,3]", ex.Message);
        Assert.Throws<ArgumentException>(() => emb.Forward([1, 2, 3], [2, 2]));
    }
}
