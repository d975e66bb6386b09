using Latent.Core;

namespace Latent.NN;

public static partial class F
{
    /// <summary>Rows of weight [V, D] at <paramref name="indices"/> (n) -> [n, D] (torch.nn.functional.embedding).</summary>
    public static Tensor Embedding(int[] indices, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (weight.Rank != 2) throw new ArgumentException($"Embedding: weight {Shapes.Format(weight.Shape)} is not [V,D]", nameof(weight));
        foreach (int i in indices)
            if ((uint)i >= (uint)weight.Shape[0])
                throw new ArgumentException($"Embedding: index {i} out of range for weight {Shapes.Format(weight.Shape)}", nameof(indices));
        return weight.IndexSelect(0, indices);
    }

    /// <summary>Rows of weight [V, D] at <paramref name="indices"/> laid out as <paramref name="indexShape"/> -> [*indexShape, D].</summary>
    public static Tensor Embedding(int[] indices, int[] indexShape, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(indexShape);
        if (Shapes.CheckedSize(indexShape, nameof(indexShape)) != indices.Length)
            throw new ArgumentException($"Embedding: {indices.Length} indices for index shape {Shapes.Format(indexShape)}", nameof(indexShape));
        return Embedding(indices, weight).Reshape([.. indexShape, weight.Shape[1]]);
    }
}
