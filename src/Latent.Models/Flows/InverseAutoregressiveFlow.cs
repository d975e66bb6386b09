using Latent.Core;
using Latent.NN;

namespace Latent.Models.Flows;

/// <summary>
/// One step of inverse autoregressive flow (Kingma, Salimans, Jozefowicz, Chen, Sutskever &amp; Welling 2016,
/// "Improved Variational Inference with Inverse Autoregressive Flow", NeurIPS, Eq. 11–14):
/// [m, s] = MADE(z), σ = sigmoid(s), z' = σ ⊙ z + (1 − σ) ⊙ m, log |det ∂z'/∂z| = Σ_j log σ_j, where the masked
/// network (Germain et al. 2015, MADE: one hidden ReLU layer of H units) makes m_j and s_j depend only on the
/// z_i that come before j in the step's order, so the Jacobian is triangular. Steps alternate the order (forward,
/// reversed). The bias of s starts at +1 (§4: the step begins near the identity). No context h from the encoder.
/// </summary>
public sealed class InverseAutoregressiveFlow : Module, IFlowStep
{
    private readonly Tensor _inputMask;  // [H, Z]
    private readonly Tensor _outputMask; // [2Z, H]

    /// <summary>A step on Z dimensions with H hidden units; <paramref name="reversed"/> runs the order Z−1, …, 0.</summary>
    public InverseAutoregressiveFlow(int size, int hidden, bool reversed, Rng rng)
    {
        if (size <= 0) throw new ArgumentException($"InverseAutoregressiveFlow: size {size} must be positive", nameof(size));
        if (hidden <= 0) throw new ArgumentException($"InverseAutoregressiveFlow: hidden {hidden} must be positive", nameof(hidden));
        ArgumentNullException.ThrowIfNull(rng);
        Size = size;
        // MADE degrees: input j has order position d(j) in 1..Z; hidden unit k has degree in 1..max(1, Z−1).
        var inDeg = new int[size];
        for (int j = 0; j < size; j++) inDeg[j] = reversed ? size - j : j + 1;
        var hidDeg = new int[hidden];
        for (int k = 0; k < hidden; k++) hidDeg[k] = k % Math.Max(1, size - 1) + 1;
        var inMask = new float[hidden * size];
        for (int k = 0; k < hidden; k++)
            for (int j = 0; j < size; j++) inMask[k * size + j] = hidDeg[k] >= inDeg[j] ? 1f : 0f;
        var outMask = new float[2 * size * hidden];
        for (int o = 0; o < 2 * size; o++)
            for (int k = 0; k < hidden; k++) outMask[o * hidden + k] = inDeg[o % size] > hidDeg[k] ? 1f : 0f;
        _inputMask = new Tensor(inMask, hidden, size);
        _outputMask = new Tensor(outMask, 2 * size, hidden);
        W1 = AddParameter("w1", rng.Normal([hidden, size], std: 1f / MathF.Sqrt(size)));
        B1 = AddParameter("b1", Tensor.Zeros(hidden));
        W2 = AddParameter("w2", rng.Normal([2 * size, hidden], std: 0.01f / MathF.Sqrt(hidden)));
        var b2 = new float[2 * size];
        for (int j = size; j < 2 * size; j++) b2[j] = 1f; // s starts at +1: σ ≈ 0.73
        B2 = AddParameter("b2", new Tensor(b2, 2 * size));
    }

    /// <summary>Z.</summary>
    public int Size { get; }

    /// <summary>Masked input-to-hidden weights [H, Z].</summary>
    public Tensor W1 { get; }

    /// <summary>Hidden biases [H].</summary>
    public Tensor B1 { get; }

    /// <summary>Masked hidden-to-output weights [2Z, H]: rows 0..Z−1 give m, rows Z..2Z−1 give s.</summary>
    public Tensor W2 { get; }

    /// <summary>Output biases [2Z].</summary>
    public Tensor B2 { get; }

    /// <summary>z [B, Z] → z' [B, Z] and log |det ∂z'/∂z| = Σ_j log σ_j, [B].</summary>
    public (Tensor Z, Tensor LogDet) Forward(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2 || z.Shape[1] != Size)
            throw new ArgumentException($"InverseAutoregressiveFlow.Forward: z {Shapes.Format(z.Shape)} is not [B,{Size}]", nameof(z));
        var hidden = Tensor.Linear(z, W1 * _inputMask, B1).Relu();
        var parts = Tensor.Linear(hidden, W2 * _outputMask, B2).Split([Size, Size], axis: 1);
        var sigma = parts[1].Sigmoid();
        var next = sigma * z + (1f - sigma) * parts[0];
        // log σ = −softplus(−s), stable for large |s|.
        var logDet = -(-parts[1]).Softplus().Sum(1);
        return (next, logDet);
    }
}
