namespace Latent.Models.Compression;

/// <summary>
/// Quantised, entropy-coded codes of <see cref="Count"/> images (<see cref="CodeCodec"/>).
/// </summary>
/// <param name="Bits">Bits per code dimension before entropy coding (2^Bits quantisation levels).</param>
/// <param name="Count">Number of images N.</param>
/// <param name="CodeSize">Code dimensions Z.</param>
/// <param name="Low">Per-dimension lower end of the quantiser [Z].</param>
/// <param name="High">Per-dimension upper end [Z].</param>
/// <param name="Payload">The arithmetic-coded levels, image by image, dimension by dimension.</param>
public sealed record CompressedCodes(int Bits, int Count, int CodeSize, float[] Low, float[] High, byte[] Payload);
