using Latent.Core;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.TdVae;

/// <summary>
/// A diagonal Gaussian from an MLP: input [M, I] → Linear(I, H), ReLU, Linear(H, H), ReLU, Linear(H, 2Z) split into
/// mean [M, Z] and log-variance [M, Z].
/// </summary>
internal sealed class GaussianHead : Module
{
    private readonly Sequential _net;

    public GaussianHead(int input, int hidden, int size, Rng rng)
    {
        Size = size;
        _net = Add("net", new Sequential(
            new Linear(input, hidden, rng), Activation.Relu(),
            new Linear(hidden, hidden, rng), Activation.Relu(),
            new Linear(hidden, 2 * size, rng)));
    }

    public int Size { get; }

    public (Tensor Mu, Tensor LogVar) Forward(Tensor x)
    {
        var o = _net.Forward(x);
        return (o.Narrow(1, 0, Size), o.Narrow(1, Size, Size));
    }
}
