namespace Latent.Models.Inpainting;

/// <summary>The hole PSNR of the manifold projection after a number of passes.</summary>
/// <param name="Passes">Projections run.</param>
/// <param name="HolePsnr">PSNR (dB, peak 1) on the hole pixels (<see cref="Inpainter.HolePsnr"/>).</param>
public sealed record PassScore(int Passes, double HolePsnr);
