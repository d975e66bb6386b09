namespace Latent.Models.Inpainting;

/// <summary>The number of projection passes chosen on a validation set, and the hole PSNR of every candidate count.</summary>
/// <param name="Passes">The candidate count with the best hole PSNR (the smallest on a tie).</param>
/// <param name="Scores">Hole PSNR (dB) after each candidate count, in increasing order of passes.</param>
public sealed record PassChoice(int Passes, IReadOnlyList<PassScore> Scores);
