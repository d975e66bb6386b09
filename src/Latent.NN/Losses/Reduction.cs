namespace Latent.NN.Losses;

/// <summary>How a loss combines per-element values: PyTorch's reduction argument.</summary>
public enum Reduction
{
    /// <summary>Average over all elements.</summary>
    Mean,
    /// <summary>Sum over all elements.</summary>
    Sum,
    /// <summary>Per-element values.</summary>
    None,
}
