namespace Latent.Core;

// Nearest-neighbour upsampling by an integer factor (PyTorch's interpolate(mode="nearest", scale_factor=s)).
public sealed partial class Tensor
{
    /// <summary>
    /// Nearest-neighbour upsampling: [N,C,H,W] -> [N,C,H·s,W·s], y[n,c,i,j] = x[n,c,i/s,j/s]. The backward sums
    /// each s×s block (a reshape to [N,C,H,s,W,s] and a sum, so it is differentiable again).
    /// </summary>
    public Tensor UpsampleNearest2d(int scale)
    {
        if (Rank != 4)
            throw new ArgumentException($"UpsampleNearest2d: input {Shapes.Format(Shape)} needs rank 4 [N,C,H,W]");
        if (scale <= 0)
            throw new ArgumentException($"UpsampleNearest2d: input {Shapes.Format(Shape)}: scale {scale} must be positive", nameof(scale));
        int n = Shape[0], c = Shape[1], h = Shape[2], w = Shape[3];
        int wo = w * scale;
        var y = Empty([n, c, h * scale, wo]);
        ReadOnlySpan<float> xs = Span;
        var ys = y.Span;
        for (int pl = 0; pl < n * c; pl++)
            for (int i = 0; i < h; i++)
            {
                // Build output row i·s once, then repeat it s−1 times below.
                var src = xs.Slice((pl * h + i) * w, w);
                var first = ys.Slice((pl * h + i) * scale * wo, wo);
                for (int j = 0; j < w; j++) first.Slice(j * scale, scale).Fill(src[j]);
                for (int r = 1; r < scale; r++) first.CopyTo(ys.Slice(((pl * h + i) * scale + r) * wo, wo));
            }
        if (ShouldRecord(this))
            y.RecordOp("upsample_nearest2d", [this], g => [g.Reshape(n, c, h, scale, w, scale).Sum([3, 5])]);
        return y;
    }
}
