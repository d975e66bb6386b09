using Latent.NN;

namespace Latent.Models.Autoencoder;

/// <summary>An encoder x [B, ...InputShape] → [B, Z] and a decoder [B, Z] → [B, ...InputShape] (logits or linear output).</summary>
/// <param name="Encoder">x [B, ...InputShape] → code [B, Z].</param>
/// <param name="Decoder">code [B, Z] → pre-output [B, ...InputShape] (logits for Bernoulli output).</param>
/// <param name="CodeSize">Z.</param>
public sealed record EncoderDecoder(Layer Encoder, Layer Decoder, int CodeSize);
