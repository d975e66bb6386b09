using Latent.Core;

namespace Latent.Models.VqVae;

/// <summary>
/// What <see cref="VectorQuantizer.Forward"/> returns for z_e [B, D, h, w].
/// </summary>
/// <param name="StraightThrough">z_e + sg[z_q − z_e], [B, D, h, w]: equals z_q forward, passes the decoder's gradient to z_e unchanged.</param>
/// <param name="Indices">k(b, i, j) = argmin_k ‖z_e(b, :, i, j) − e_k‖², row-major over [B, h, w].</param>
/// <param name="Codebook">(1/B) Σ ‖sg[z_e] − e‖², the codebook loss (scalar); zero with the EMA codebook.</param>
/// <param name="Commitment">(1/B) Σ ‖z_e − sg[e]‖², the unweighted commitment loss (scalar).</param>
/// <param name="Usage">Fraction of the K codes chosen at least once in the batch (scalar).</param>
/// <param name="Perplexity">exp(−Σ_k p_k log p_k) of the batch's code frequencies p_k (scalar, 1..K).</param>
public sealed record Quantized(Tensor StraightThrough, int[] Indices, Tensor Codebook, Tensor Commitment, Tensor Usage, Tensor Perplexity);
