namespace Latent.Models.Export;

/// <summary>Which part of a model an ONNX file holds.</summary>
public enum OnnxPart
{
    /// <summary>x [B, ...InputShape] → code [B, Z] (the model's <c>Encode</c>).</summary>
    Encoder,

    /// <summary>z [B, Z] → output in data space [B, ...InputShape] (the model's <c>Decode</c>).</summary>
    Decoder,

    /// <summary>x [B, ...InputShape] → reconstruction [B, ...InputShape] (the model's <c>Reconstruct</c>).</summary>
    Full,
}
