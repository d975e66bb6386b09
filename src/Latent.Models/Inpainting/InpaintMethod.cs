namespace Latent.Models.Inpainting;

/// <summary>How <see cref="Inpainter"/> fills a hole.</summary>
public enum InpaintMethod
{
    /// <summary>Iterative projection onto the model's manifold (<see cref="ManifoldProjection"/>).</summary>
    Model,

    /// <summary>Telea 2004, fast marching (<see cref="ClassicalInpainting.Telea"/>).</summary>
    Telea,

    /// <summary>Bertalmío et al. 2001, isophote transport (<see cref="ClassicalInpainting.NavierStokes"/>).</summary>
    NavierStokes,
}
