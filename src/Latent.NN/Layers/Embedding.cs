using Latent.Core;
using Latent.NN.Init;

namespace Latent.NN.Layers;

/// <summary>
/// A lookup table (torch.nn.Embedding): row i of weight [numEmbeddings, dim] is the vector of index i.
/// Weight starts N(0, 1), as in PyTorch. The gradient reaches only the rows that were looked up.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>A table of <paramref name="numEmbeddings"/> vectors of size <paramref name="embeddingDim"/>.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (numEmbeddings <= 0 || embeddingDim <= 0)
            throw new ArgumentException($"Embedding: sizes must be positive, got {numEmbeddings} x {embeddingDim}");
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = AddParameter("weight", Tensor.Zeros(numEmbeddings, embeddingDim));
        Initializers.Normal(Weight, 1f, rng);
    }

    /// <summary>Number of rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>Size of each vector.</summary>
    public int EmbeddingDim { get; }

    /// <summary>[numEmbeddings, dim].</summary>
    public Tensor Weight { get; }

    /// <summary>indices (n) -> [n, dim].</summary>
    public Tensor Forward(int[] indices) => F.Embedding(indices, Weight);

    /// <summary>indices with shape <paramref name="indexShape"/> -> [*indexShape, dim].</summary>
    public Tensor Forward(int[] indices, int[] indexShape) => F.Embedding(indices, indexShape, Weight);
}
