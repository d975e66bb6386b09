using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>
/// One LSTM step (Hochreiter &amp; Schmidhuber 1997; torch.nn.LSTMCell). With gates
/// [i, f, g, o] = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh (PyTorch's order, each H wide):
/// i = σ(·), f = σ(·), g = tanh(·), o = σ(·); c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c').
/// weight_ih [4H, I], weight_hh [4H, H], bias_ih [4H], bias_hh [4H], all U(±1/√H) as in PyTorch.
/// </summary>
public sealed class LstmCell : RecurrentCell
{
    /// <summary>A cell from <paramref name="inputSize"/> features to a state of <paramref name="hiddenSize"/>.</summary>
    public LstmCell(int inputSize, int hiddenSize, Rng rng, bool bias = true)
        : base("LstmCell", gates: 4, inputSize, hiddenSize, rng, bias)
    {
    }

    /// <summary>
    /// x [B, I] and the state (h [B, H], c [B, H]; zeros when null) -> the next state (h', c').
    /// </summary>
    public (Tensor H, Tensor C) Forward(Tensor x, (Tensor H, Tensor C)? state = null)
    {
        if (x.Rank != 2 || x.Shape[1] != InputSize)
            throw new ArgumentException($"LstmCell: input {Shapes.Format(x.Shape)} is not [B,{InputSize}]", nameof(x));
        int b = x.Shape[0], hs = HiddenSize;
        var (h, c) = state ?? (Tensor.Zeros(b, hs), Tensor.Zeros(b, hs));
        if (!Shapes.Equal(h.Shape, [b, hs]) || !Shapes.Equal(c.Shape, [b, hs]))
            throw new ArgumentException($"LstmCell: state h {Shapes.Format(h.Shape)}, c {Shapes.Format(c.Shape)} for input {Shapes.Format(x.Shape)}: expected [{b},{hs}]", nameof(state));
        var gates = F.Linear(x, WeightIh, BiasIh) + F.Linear(h, WeightHh, BiasHh);
        var i = gates.Narrow(1, 0, hs).Sigmoid();
        var f = gates.Narrow(1, hs, hs).Sigmoid();
        var g = gates.Narrow(1, 2 * hs, hs).Tanh();
        var o = gates.Narrow(1, 3 * hs, hs).Sigmoid();
        var cNext = f * c + i * g;
        var hNext = o * cNext.Tanh();
        return (hNext, cNext);
    }
}
