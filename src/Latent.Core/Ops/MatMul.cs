using Latent.Core.Kernels;

namespace Latent.Core;

// Matrix products. Transposes are flags passed to the GEMM, never materialised, so the backward of every
// form is again one MatMul call per input.
public sealed partial class Tensor
{
    /// <summary>
    /// op(a) @ op(b) where op transposes the last two axes when its flag is set. a is [..., M, K], b is
    /// [..., K, N] (before op); leading batch axes broadcast. A rank-2 b shared by a batched a is one GEMM.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Rank < 2 || b.Rank < 2)
            throw new ArgumentException($"MatMul: {Shapes.Format(a.Shape)} x {Shapes.Format(b.Shape)}: both need rank >= 2");
        int m = transposeA ? a.Shape[^1] : a.Shape[^2];
        int ka = transposeA ? a.Shape[^2] : a.Shape[^1];
        int kb = transposeB ? b.Shape[^1] : b.Shape[^2];
        int n = transposeB ? b.Shape[^2] : b.Shape[^1];
        if (ka != kb)
            throw new ArgumentException($"MatMul: {Shapes.Format(a.Shape)} x {Shapes.Format(b.Shape)}: inner dims {ka} != {kb}");

        // [..., M, K] x [K, N] without transposing a: one GEMM over all rows.
        if (b.Rank == 2 && a.Rank > 2 && !transposeA)
        {
            var lead = a.Shape[..^1];
            var flat = MatMul(a.Reshape(Shapes.Size(lead), ka), b, false, transposeB); // not -1: ka may be 0
            return flat.Reshape([.. lead, n]);
        }

        var batchA = a.Shape[..^2];
        var batchB = b.Shape[..^2];
        var batch = Shapes.TryBroadcast(batchA, batchB) ?? throw new ArgumentException(
            $"MatMul: {Shapes.Format(a.Shape)} x {Shapes.Format(b.Shape)}: batch dims {Shapes.Format(batchA)} and {Shapes.Format(batchB)} cannot be broadcast");
        int batches = Shapes.Size(batch);
        var y = Empty([.. batch, m, n]);
        var stA = Shapes.BroadcastStrides(batchA, batch);
        var stB = Shapes.BroadcastStrides(batchB, batch);
        // Leading dimensions must be >= 1 even for an empty operand (BLAS convention, checked by Sgemm).
        int lda = Math.Max(1, a.Shape[^1]), ldb = Math.Max(1, b.Shape[^1]), ldc = Math.Max(1, n);
        int sizeA = a.Shape[^1] * a.Shape[^2], sizeB = b.Shape[^1] * b.Shape[^2];
        var idx = new int[batch.Length];
        int offA = 0, offB = 0;
        for (int t = 0; t < batches; t++)
        {
            Gemm.Sgemm(transposeA, transposeB, m, n, ka, 1f,
                a.Span.Slice(offA * sizeA, sizeA), lda, b.Span.Slice(offB * sizeB, sizeB), ldb,
                0f, y.Span.Slice(t * m * n, m * n), ldc);
            for (int k = batch.Length - 1; k >= 0; k--)
            {
                idx[k]++; offA += stA[k]; offB += stB[k];
                if (idx[k] < batch[k]) break;
                offA -= stA[k] * batch[k]; offB -= stB[k] * batch[k]; idx[k] = 0;
            }
        }

        if (ShouldRecord(a, b))
            y.RecordOp("matmul", [a, b], g =>
            {
                // C = op(A) op(B). For each flag combination the input gradients are again single products.
                Tensor? ga = null, gb = null;
                if (a.RequiresGrad)
                    ga = (transposeA, transposeB) switch
                    {
                        (false, false) => MatMul(g, b, false, true),
                        (false, true) => MatMul(g, b, false, false),
                        (true, false) => MatMul(b, g, false, true),
                        (true, true) => MatMul(b, g, true, true),
                    };
                if (b.RequiresGrad)
                    gb = (transposeA, transposeB) switch
                    {
                        (false, false) => MatMul(a, g, true, false),
                        (false, true) => MatMul(g, a, true, false),
                        (true, false) => MatMul(a, g, false, false),
                        (true, true) => MatMul(g, a, true, true),
                    };
                return [ga?.SumTo(a.Shape), gb?.SumTo(b.Shape)];
            });
        return y;
    }
}
