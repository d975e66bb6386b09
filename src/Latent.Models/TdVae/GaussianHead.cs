using Latent.Core;
using Latent.Models.Distributions;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.TdVae;

/// <summary>
/// A diagonal Gaussian from a small network: input [M, I] → N(μ, diag σ²) with μ and log σ² [M, Z].
/// <para>MLP: Linear(I, H), ReLU, Linear(H, H), ReLU, Linear(H, 2Z).</para>
/// <para>Gated (the paper's "D" layer, Gregor et al. 2019, appendix): t = tanh(W₁x + c₁) ⊙ σ(W₂x + c₂), then
/// [μ, log σ²] = W₃t + c₃.</para>
/// </summary>
internal sealed class GaussianHead : Module
{
    private readonly Sequential? _net;
    private readonly Linear? _value;
    private readonly Linear? _gate;
    private readonly Linear? _out;

    public GaussianHead(int input, int hidden, int size, Rng rng, bool gated = false)
    {
        Size = size;
        if (gated)
        {
            _value = Add("value", new Linear(input, hidden, rng));
            _gate = Add("gate", new Linear(input, hidden, rng));
            _out = Add("out", new Linear(hidden, 2 * size, rng));
        }
        else
        {
            _net = Add("net", new Sequential(
                new Linear(input, hidden, rng), Activation.Relu(),
                new Linear(hidden, hidden, rng), Activation.Relu(),
                new Linear(hidden, 2 * size, rng)));
        }
    }

    public int Size { get; }

    public DiagonalGaussian Forward(Tensor x) => DiagonalGaussian.FromConcatenated(
        _net is not null ? _net.Forward(x) : _out!.Forward(_value!.Forward(x).Tanh() * _gate!.Forward(x).Sigmoid()));
}
