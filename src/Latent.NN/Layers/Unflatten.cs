using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>torch.nn.Unflatten: splits axis <see cref="Dim"/> into <see cref="Sizes"/> (whose product must equal it).</summary>
public sealed class Unflatten : Layer
{
    /// <summary>Splits axis <paramref name="dim"/> (negative from the end) into <paramref name="sizes"/>.</summary>
    public Unflatten(int dim, int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length == 0 || sizes.Any(d => d <= 0))
            throw new ArgumentException($"Unflatten: sizes {Shapes.Format(sizes)} must be non-empty and positive", nameof(sizes));
        Dim = dim;
        Sizes = (int[])sizes.Clone();
    }

    /// <summary>The axis that is split.</summary>
    public int Dim { get; }

    /// <summary>The new dimensions.</summary>
    public int[] Sizes { get; }

    /// <summary>[..., n, ...] -> [..., *sizes, ...] with n = Π sizes.</summary>
    public override Tensor Forward(Tensor x)
    {
        int d = Dim < 0 ? Dim + x.Rank : Dim;
        if (d < 0 || d >= x.Rank)
            throw new ArgumentException($"Unflatten: axis {Dim} is out of range for input {Shapes.Format(x.Shape)}", nameof(x));
        if (Shapes.Size(Sizes) != x.Shape[d])
            throw new ArgumentException($"Unflatten: sizes {Shapes.Format(Sizes)} do not multiply to dimension {d} of {Shapes.Format(x.Shape)}", nameof(x));
        return x.Reshape([.. x.Shape[..d], .. Sizes, .. x.Shape[(d + 1)..]]);
    }
}
