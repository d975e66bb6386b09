using Latent.Core;

namespace Latent.Models.Flows;

/// <summary>One invertible step f_k of a normalising flow.</summary>
public interface IFlowStep
{
    /// <summary>z [B, Z] → f(z) [B, Z] and log |det ∂f/∂z| [B].</summary>
    (Tensor Z, Tensor LogDet) Forward(Tensor z);
}
