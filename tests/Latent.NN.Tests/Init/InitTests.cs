using Latent.Core;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Init;

public class InitTests
{
    [Fact]
    public void RecurrentCellsUseOneOverRootHiddenForEverything()
    {
        var lstm = new LstmCell(40, 30, new Rng(1));
        float bound = 1f / MathF.Sqrt(30);
        InitAssert.Uniform(lstm.WeightIh, bound);
        InitAssert.Uniform(lstm.WeightHh, bound);
        Assert.All(lstm.BiasIh!.ToArray(), v => Assert.InRange(v, -bound, bound));
        var gru = new GruCell(40, 30, new Rng(2));
        InitAssert.Uniform(gru.WeightIh, bound);
        InitAssert.Uniform(gru.WeightHh, bound);
        Assert.All(gru.BiasHh!.ToArray(), v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void EmbeddingIsStandardNormal() => InitAssert.Normal(new Embedding(200, 50, new Rng(3)).Weight, 1f);

    [Fact]
    public void LinearIsUniformWithinOneOverRootFanIn() => InitAssert.Uniform(new Linear(64, 100, new Rng(4)).Weight, 1f / 8f);

    [Fact]
    public void NormalisationLayersStartAsTheIdentityMap()
    {
        var bn = new BatchNorm2d(4);
        Assert.Equal([1f, 1f, 1f, 1f], bn.Weight!.ToArray());
        Assert.Equal([0f, 0f, 0f, 0f], bn.Bias!.ToArray());
        Assert.Equal([0f, 0f, 0f, 0f], bn.RunningMean!.ToArray());
        Assert.Equal([1f, 1f, 1f, 1f], bn.RunningVar!.ToArray());
        var ln = new LayerNorm([2, 3]);
        Assert.All(ln.Weight!.ToArray(), v => Assert.Equal(1f, v));
        Assert.All(ln.Bias!.ToArray(), v => Assert.Equal(0f, v));
    }
}
