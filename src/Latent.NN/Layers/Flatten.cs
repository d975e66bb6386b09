using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>torch.nn.Flatten: merges axes startDim..endDim (inclusive, negative from the end) into one.</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Layer
{
    /// <summary>First merged axis.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>Last merged axis.</summary>
    public int EndDim { get; } = endDim;

    /// <summary>[d0, ..., ds, ..., de, ...] -> [d0, ..., ds·…·de, ...].</summary>
    public override Tensor Forward(Tensor x)
    {
        int rank = Math.Max(x.Rank, 1);
        int s = StartDim < 0 ? StartDim + rank : StartDim;
        int e = EndDim < 0 ? EndDim + rank : EndDim;
        if (s < 0 || e >= rank || s > e)
            throw new ArgumentException($"Flatten: axes {StartDim}..{EndDim} are not a valid range for input {Shapes.Format(x.Shape)}", nameof(x));
        if (x.Rank == 0) return x.Reshape(1);
        var shape = new List<int>();
        for (int i = 0; i < s; i++) shape.Add(x.Shape[i]);
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= x.Shape[i];
        shape.Add(merged);
        for (int i = e + 1; i < x.Rank; i++) shape.Add(x.Shape[i]);
        return x.Reshape([.. shape]);
    }
}
