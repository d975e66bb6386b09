namespace Latent.Models.Compression;

/// <summary>
/// Entropy-coded code-book indices of <see cref="Count"/> images (<see cref="IndexCodec"/>): one or more index maps per
/// image (VQ-VAE: one h×w map; VQ-VAE-2: the top and the bottom map).
/// </summary>
/// <param name="Count">Number of images N.</param>
/// <param name="CodebookSizes">Code-book size K of each map [L].</param>
/// <param name="Positions">Indices per image in each map (h·w) [L].</param>
/// <param name="Payload">The arithmetic-coded indices, image by image, map by map, position by position.</param>
public sealed record CompressedIndices(int Count, int[] CodebookSizes, int[] Positions, byte[] Payload);
