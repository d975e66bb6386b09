using Latent.Core;
using Latent.NN;

namespace Latent.Models.Flows;

/// <summary>
/// One planar flow (Rezende &amp; Mohamed 2015, "Variational Inference with Normalizing Flows", ICML, Eq. 10–12):
/// f(z) = z + û · tanh(wᵀz + b), log |det ∂f/∂z| = log |1 + ûᵀψ(z)|, ψ(z) = (1 − tanh²(wᵀz + b)) · w, with
/// û = u + (m(wᵀu) − wᵀu) · w / ‖w‖², m(a) = −1 + softplus(a), so that wᵀû ≥ −1 and f is invertible (appendix A.1).
/// Parameters u, w [Z] and b [1] are shared by all inputs (not amortised by the encoder).
/// </summary>
public sealed class PlanarFlow : Module, IFlowStep
{
    /// <summary>A flow on Z dimensions with u, w ~ N(0, 0.1²) and b = 0.</summary>
    public PlanarFlow(int size, Rng rng)
    {
        if (size <= 0) throw new ArgumentException($"PlanarFlow: size {size} must be positive", nameof(size));
        ArgumentNullException.ThrowIfNull(rng);
        Size = size;
        U = AddParameter("u", rng.Normal([size], std: 0.1f));
        W = AddParameter("w", rng.Normal([size], std: 0.1f));
        B = AddParameter("b", Tensor.Zeros(1));
    }

    /// <summary>Z.</summary>
    public int Size { get; }

    /// <summary>u [Z] before the invertibility correction.</summary>
    public Tensor U { get; }

    /// <summary>w [Z].</summary>
    public Tensor W { get; }

    /// <summary>b [1].</summary>
    public Tensor B { get; }

    /// <summary>z [B, Z] → f(z) [B, Z] and log |det ∂f/∂z| [B].</summary>
    public (Tensor Z, Tensor LogDet) Forward(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2 || z.Shape[1] != Size)
            throw new ArgumentException($"PlanarFlow.Forward: z {Shapes.Format(z.Shape)} is not [B,{Size}]", nameof(z));
        var w = W.Reshape(1, Size);
        var wu = (W * U).Sum();                                              // wᵀu, scalar
        var m = wu.Softplus() - 1f;                                          // m(wᵀu) = −1 + softplus(wᵀu)
        var uHat = U.Reshape(1, Size) + (m - wu) * w / (W.Square().Sum() + 1e-8f); // [1, Z]
        var h = (Tensor.MatMul(z, w, transposeB: true) + B).Tanh();          // tanh(wᵀz + b) [B, 1]
        var f = z + uHat * h;
        var wTu = (w * uHat).Sum();                                          // wᵀû ≥ −1
        var logDet = ((1f - h.Square()) * wTu + 1f).Abs().AddScalar(1e-8f).Log().Reshape(z.Shape[0]);
        return (f, logDet);
    }
}
