namespace Latent.Models.Export;

/// <summary>How <see cref="OnnxExporter"/> writes a model.</summary>
/// <param name="Opset">ONNX operator set of the default domain, 13 to 21 (17 by default: ONNX Runtime 1.14+ and onnx 1.12+ read it).</param>
/// <param name="DynamicBatch">True: the batch axis of every input and output is the symbolic dimension "batch"; false: it is <paramref name="BatchSize"/>.</param>
/// <param name="BatchSize">The fixed batch size when <paramref name="DynamicBatch"/> is false.</param>
/// <param name="Sample">VAE only: add an input <c>noise</c> [B, Z] and use the reparameterised sample z = μ + exp(½ log σ²) ⊙ noise
/// instead of the mean (encoder: extra output <c>z</c>; full: the reconstruction decodes z).</param>
public sealed record OnnxExportOptions(int Opset = 17, bool DynamicBatch = false, int BatchSize = 1, bool Sample = false)
{
    /// <summary>The lowest opset written (ReduceSum with axes as an input, Slice/TopK with tensor arguments).</summary>
    public const int MinOpset = 13;

    /// <summary>The highest opset written.</summary>
    public const int MaxOpset = 21;

    /// <summary>Throws an ArgumentException naming the option that is out of range.</summary>
    public void Validate()
    {
        if (Opset is < MinOpset or > MaxOpset)
            throw new ArgumentException($"opset {Opset} is not supported (expected {MinOpset} to {MaxOpset})", nameof(Opset));
        if (BatchSize < 1)
            throw new ArgumentException($"batch size {BatchSize} must be >= 1", nameof(BatchSize));
    }

    /// <summary>The ONNX IR version that goes with <see cref="Opset"/> (onnx's version table: opset 13–17 → IR 8, 18–19 → 9, 20–21 → 10).</summary>
    public long IrVersion => Opset switch { <= 17 => 8, <= 19 => 9, _ => 10 };
}
