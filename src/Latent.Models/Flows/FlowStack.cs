using System.Globalization;
using Latent.Core;
using Latent.NN;

namespace Latent.Models.Flows;

/// <summary>
/// The flow f_K ∘ … ∘ f_1: steps registered under their index ("0", "1", …, so their checkpoint keys are "flow.k.NAME")
/// and applied in that order.
/// </summary>
public sealed class FlowStack : Module
{
    private readonly List<IFlowStep> _steps = [];

    /// <summary>The steps f_1 … f_K.</summary>
    public IReadOnlyList<IFlowStep> Steps => _steps;

    /// <summary>Registers <paramref name="step"/> as the next step.</summary>
    public void Append<T>(T step) where T : Module, IFlowStep
    {
        Add(_steps.Count.ToString(CultureInfo.InvariantCulture), step);
        _steps.Add(step);
    }

    /// <summary>z₀ [B, Z] → z_K [B, Z] and Σ_k log |det ∂f_k/∂z_{k−1}| [B].</summary>
    public (Tensor Z, Tensor LogDet) Forward(Tensor z0)
    {
        ArgumentNullException.ThrowIfNull(z0);
        var z = z0;
        var logDet = Tensor.Zeros(z0.Shape[0]);
        foreach (var step in _steps)
        {
            var (next, ld) = step.Forward(z);
            z = next;
            logDet = logDet + ld;
        }
        return (z, logDet);
    }
}
