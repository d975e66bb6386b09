using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>
/// One GRU step (Cho et al. 2014; torch.nn.GRUCell). With the gate blocks in PyTorch's order [r, z, n]:
/// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
/// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
/// weight_ih [3H, I], weight_hh [3H, H], bias_ih [3H], bias_hh [3H], all U(±1/√H) as in PyTorch.
/// </summary>
public sealed class GruCell : RecurrentCell
{
    /// <summary>A cell from <paramref name="inputSize"/> features to a state of <paramref name="hiddenSize"/>.</summary>
    public GruCell(int inputSize, int hiddenSize, Rng rng, bool bias = true)
        : base("GruCell", gates: 3, inputSize, hiddenSize, rng, bias)
    {
    }

    /// <summary>x [B, I] and h [B, H] (zeros when null) -> h' [B, H].</summary>
    public Tensor Forward(Tensor x, Tensor? h = null)
    {
        if (x.Rank != 2 || x.Shape[1] != InputSize)
            throw new ArgumentException($"GruCell: input {Shapes.Format(x.Shape)} is not [B,{InputSize}]", nameof(x));
        int b = x.Shape[0], hs = HiddenSize;
        h ??= Tensor.Zeros(b, hs);
        if (!Shapes.Equal(h.Shape, [b, hs]))
            throw new ArgumentException($"GruCell: state {Shapes.Format(h.Shape)} for input {Shapes.Format(x.Shape)}: expected [{b},{hs}]", nameof(h));
        var gi = F.Linear(x, WeightIh, BiasIh);
        var gh = F.Linear(h, WeightHh, BiasHh);
        var r = (gi.Narrow(1, 0, hs) + gh.Narrow(1, 0, hs)).Sigmoid();
        var z = (gi.Narrow(1, hs, hs) + gh.Narrow(1, hs, hs)).Sigmoid();
        var n = (gi.Narrow(1, 2 * hs, hs) + r * gh.Narrow(1, 2 * hs, hs)).Tanh();
        // (1 − z)·n + z·h written as n + z·(h − n): one product fewer.
        return n + z * (h - n);
    }
}
