using Latent.Core;
using Latent.NN.Layers;

namespace Latent.NN.Tests.Layers;

public class RegistrationTests
{
    public static TheoryData<string> Names => new() { "sequential", "batchnorm2d", "conv2d", "conv_transpose2d", "embedding", "lstmcell", "grucell", "layernorm" };

    private static Module Build(string name)
    {
        var rng = new Rng(1);
        return name switch
        {
            "sequential" => new Sequential(new Linear(4, 3, rng), new BatchNorm1d(3), Activation.Relu(), new LayerNorm(3),
                new Dropout(0.1f, rng), new Flatten(), new Unflatten(1, [3, 1])),
            "batchnorm2d" => new BatchNorm2d(5),
            "conv2d" => new Conv2d(3, 8, 5, rng),
            "conv_transpose2d" => new ConvTranspose2d(8, 3, 4, rng, stride: 2, padding: 1),
            "embedding" => new Embedding(10, 6, rng),
            "lstmcell" => new LstmCell(5, 7, rng),
            "grucell" => new GruCell(5, 7, rng),
            "layernorm" => new LayerNorm([4, 5]),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StateDictKeysShapesAndOrderEqualPyTorchs(string name)
    {
        var expected = Golden.Case("state_dicts").GetProperty(name).EnumerateArray()
            .Select(e => $"{e[0].GetString()}{Shapes.Format(e[1].Ints())}").ToArray();
        var actual = Build(name).StateDict().Select(e => $"{e.Name}{Shapes.Format(e.Tensor.Shape)}").ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void BuffersAreNotTrainableParameters()
    {
        var bn = new BatchNorm1d(3);
        Assert.Equal(["weight", "bias"], bn.NamedParameters().Select(p => p.Name));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], bn.NamedBuffers().Select(p => p.Name));
        Assert.All(bn.NamedBuffers(), b => Assert.False(b.Tensor.RequiresGrad));
    }
}
