using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Latent.Core;

// Reductions over axes. Each reduction over a contiguous block of axes is viewed as [outer, r, inner]:
// inner == 1 sums contiguous runs (TensorPrimitives), inner > 1 sums each column down the rows in registers.
public sealed partial class Tensor
{
    /// <summary>Sum of all elements (a scalar).</summary>
    public Tensor Sum()
    {
        var y = Scalar(TensorPrimitives.Sum(Span));
        if (ShouldRecord(this)) y.RecordOp("sum", [this], g => [g.Reshape(Ones1(Rank)).BroadcastTo(Shape)]);
        return y;
    }

    /// <summary>Sum over <paramref name="axes"/> (negative counts from the end).</summary>
    public Tensor Sum(int[] axes, bool keepDim = false)
    {
        var ax = NormalizeAxes(axes, "Sum");
        var keptShape = (int[])Shape.Clone();
        foreach (int a in ax) keptShape[a] = 1;
        Tensor y = ax.Length == 0 ? Clone() : Detach();
        // Reduce axis by axis from the last, each as [outer, r, inner].
        for (int i = ax.Length - 1; i >= 0; i--) y = SumAxisKernel(y, ax[i]);
        y = new Tensor(y.Storage, keepDim ? keptShape : DropAxes(Shape, ax));
        if (ShouldRecord(this))
        {
            var inShape = Shape;
            y.RecordOp("sum_axes", [this], g => [g.Reshape(keptShape).BroadcastTo(inShape)]);
        }
        return y;
    }

    /// <summary>Sum over one axis.</summary>
    public Tensor Sum(int axis, bool keepDim = false) => Sum([axis], keepDim);

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Sum() * (1f / Math.Max(1, Size));

    /// <summary>Mean over <paramref name="axes"/>.</summary>
    public Tensor Mean(int[] axes, bool keepDim = false)
    {
        var ax = NormalizeAxes(axes, "Mean");
        int count = 1;
        foreach (int a in ax) count *= Shape[a];
        return Sum(ax, keepDim) * (1f / Math.Max(1, count));
    }

    /// <summary>Mean over one axis.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Mean([axis], keepDim);

    /// <summary>Variance over <paramref name="axes"/>; <paramref name="unbiased"/> divides by n−1 (PyTorch's default).</summary>
    public Tensor Var(int[] axes, bool unbiased = true, bool keepDim = false)
    {
        var ax = NormalizeAxes(axes, "Var");
        int n = 1;
        foreach (int a in ax) n *= Shape[a];
        var centred = this - Mean(ax, keepDim: true);
        // As torch.var: dividing by n − 1 = 0 (one element, unbiased) gives NaN, not 0.
        return centred.Square().Sum(ax, keepDim) * (1f / Math.Max(0, unbiased ? n - 1 : n));
    }

    /// <summary>Variance over one axis.</summary>
    public Tensor Var(int axis, bool unbiased = true, bool keepDim = false) => Var([axis], unbiased, keepDim);

    /// <summary>Largest element along <paramref name="axis"/>; the gradient goes to the first maximum (as torch.max(dim)).</summary>
    public Tensor Max(int axis, bool keepDim = false) => SelectAlong(axis, keepDim, ArgMax(axis), "Max");

    /// <summary>Smallest element along <paramref name="axis"/>; the gradient goes to the first minimum.</summary>
    public Tensor Min(int axis, bool keepDim = false) => SelectAlong(axis, keepDim, ArgMin(axis), "Min");

    /// <summary>Largest element of the whole tensor (no gradient).</summary>
    public float MaxValue() => Size == 0 ? throw new InvalidOperationException("MaxValue: empty tensor") : TensorPrimitives.Max(Span);

    /// <summary>Smallest element of the whole tensor (no gradient).</summary>
    public float MinValue() => Size == 0 ? throw new InvalidOperationException("MinValue: empty tensor") : TensorPrimitives.Min(Span);

    /// <summary>Index of the first largest element along <paramref name="axis"/>; shape is this shape without that axis.</summary>
    public int[] ArgMax(int axis) => ArgExtreme(axis, greater: true);

    /// <summary>Index of the first smallest element along <paramref name="axis"/>.</summary>
    public int[] ArgMin(int axis) => ArgExtreme(axis, greater: false);

    /// <summary>log Σ exp(x) along <paramref name="axis"/>, computed stably.</summary>
    public Tensor LogSumExp(int axis, bool keepDim = false)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "LogSumExp");
        Tensor m;
        using (NoGrad()) m = Max(a, keepDim: true);
        // Shifting by the (constant) max keeps exp finite; the shift cancels in the gradient.
        var finite = m.MapScalar(v => float.IsFinite(v) ? v : 0f);
        var y = (this - finite).Exp().Sum([a], keepDim: true).Log() + finite;
        return keepDim ? y : y.Reshape(DropAxes(Shape, [a]));
    }

    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public Tensor Softmax(int axis = -1)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "Softmax");
        var y = Empty(Shape);
        var (outer, r, inner) = Split3(a);
        ReadOnlySpan<float> x = Span;
        var ys = y.Span;
        if (inner == 1)
        {
            // TensorPrimitives.SoftMax does not shift by the maximum, so exp overflows for x > 88: shift first.
            for (int o = 0; o < outer; o++)
            {
                var row = ys.Slice(o * r, r);
                if (r == 0) continue;
                TensorPrimitives.Subtract(x.Slice(o * r, r), TensorPrimitives.Max(x.Slice(o * r, r)), row);
                TensorPrimitives.SoftMax(row, row);
            }
        }
        else
        {
            using (NoGrad())
            {
                var shifted = (Detach() - Detach().Max(a, keepDim: true)).Exp();
                var s = shifted / shifted.Sum([a], keepDim: true);
                s.Span.CopyTo(ys);
            }
        }
        if (ShouldRecord(this))
            y.RecordOp("softmax", [this], g => [y * (g - (g * y).Sum([a], keepDim: true))]);
        return y;
    }

    /// <summary>log softmax along <paramref name="axis"/>: x − logsumexp(x).</summary>
    public Tensor LogSoftmax(int axis = -1)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "LogSoftmax");
        Tensor y;
        using (NoGrad()) y = Detach() - Detach().LogSumExp(a, keepDim: true);
        if (ShouldRecord(this))
            y.RecordOp("log_softmax", [this], g => [g - y.Exp() * g.Sum([a], keepDim: true)]);
        return y;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static int[] Ones1(int rank)
    {
        var s = new int[rank];
        Array.Fill(s, 1);
        return s;
    }

    private int[] NormalizeAxes(int[] axes, string op)
    {
        var ax = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++) ax[i] = Shapes.NormalizeAxis(axes[i], Rank, op);
        Array.Sort(ax);
        for (int i = 1; i < ax.Length; i++)
            if (ax[i] == ax[i - 1]) throw new ArgumentException($"{op}: axis {ax[i]} is repeated", nameof(axes));
        return ax;
    }

    internal static int[] DropAxes(int[] shape, int[] sortedAxes)
    {
        var r = new List<int>(shape.Length);
        for (int i = 0; i < shape.Length; i++) if (Array.BinarySearch(sortedAxes, i) < 0) r.Add(shape[i]);
        return r.ToArray();
    }

    /// <summary>(product of dims before axis, dim, product of dims after axis).</summary>
    internal (int outer, int r, int inner) Split3(int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= Shape[i];
        for (int i = axis + 1; i < Rank; i++) inner *= Shape[i];
        return (outer, Shape[axis], inner);
    }

    private static Tensor SumAxisKernel(Tensor x, int axis)
    {
        var (outer, r, inner) = x.Split3(axis);
        var shape = (int[])x.Shape.Clone();
        shape[axis] = 1;
        var y = Zeros(shape);
        // Split between the kernel threads by disjoint outputs (rows when inner == 1, column ranges otherwise);
        // every output sums its terms in the same order, so the bits do not depend on the thread count.
        unsafe
        {
            fixed (float* px = x.Storage, py = y.Storage)
            {
                var job = new SumAxisJob { X = px, Y = py, Outer = outer, R = r, Inner = inner };
                if (inner == 1) Kernels.ParallelRange.For(outer, 1, r, &SumRows, &job);
                else Kernels.ParallelRange.For(inner, Kernels.ParallelRange.VectorAlign, (long)outer * r, &SumColumns, &job);
            }
        }
        return y;
    }

    private unsafe struct SumAxisJob
    {
        public float* X, Y;
        public int Outer, R, Inner;
    }

    private static unsafe void SumRows(void* ctx, int lo, int hi)
    {
        ref SumAxisJob job = ref *(SumAxisJob*)ctx;
        for (int o = lo; o < hi; o++) job.Y[o] = TensorPrimitives.Sum(new ReadOnlySpan<float>(job.X + (long)o * job.R, job.R));
    }

    // Columns lo..hi of every outer block, each summed over its R rows in row order: 32 (then 8) columns at a time in
    // registers down all the rows, the last few one at a time. The adds per column are those of adding the rows into
    // y one after another, so any split of the columns gives the same bits (the column ranges of a bias gradient are
    // short: a pass of the whole row range per row cost one call per row and part).
    private static unsafe void SumColumns(void* ctx, int lo, int hi)
    {
        ref SumAxisJob job = ref *(SumAxisJob*)ctx;
        int inner = job.Inner, r = job.R;
        for (int o = 0; o < job.Outer; o++)
        {
            float* y = job.Y + (long)o * inner;
            float* x = job.X + (long)o * r * inner;
            int c = lo;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; c <= hi - 32; c += 32)
                {
                    var a0 = Vector256.Load(y + c);
                    var a1 = Vector256.Load(y + c + 8);
                    var a2 = Vector256.Load(y + c + 16);
                    var a3 = Vector256.Load(y + c + 24);
                    float* row = x + c;
                    for (int j = 0; j < r; j++, row += inner)
                    {
                        a0 += Vector256.Load(row);
                        a1 += Vector256.Load(row + 8);
                        a2 += Vector256.Load(row + 16);
                        a3 += Vector256.Load(row + 24);
                    }
                    a0.Store(y + c);
                    a1.Store(y + c + 8);
                    a2.Store(y + c + 16);
                    a3.Store(y + c + 24);
                }
                for (; c <= hi - 8; c += 8)
                {
                    var a = Vector256.Load(y + c);
                    float* row = x + c;
                    for (int j = 0; j < r; j++, row += inner) a += Vector256.Load(row);
                    a.Store(y + c);
                }
            }
            for (; c < hi; c++)
            {
                float a = y[c];
                float* row = x + c;
                for (int j = 0; j < r; j++, row += inner) a += *row;
                y[c] = a;
            }
        }
    }

    private int[] ArgExtreme(int axis, bool greater)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, greater ? "ArgMax" : "ArgMin");
        var (outer, r, inner) = Split3(a);
        if (r == 0) throw new ArgumentException($"{(greater ? "ArgMax" : "ArgMin")}: axis {axis} of {Shapes.Format(Shape)} is empty");
        var idx = new int[outer * inner];
        ReadOnlySpan<float> x = Span;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                float bv = x[o * r * inner + i];
                for (int j = 1; j < r; j++)
                {
                    float v = x[(o * r + j) * inner + i];
                    // NaN wins, as in PyTorch: a NaN anywhere makes max NaN.
                    if (float.IsNaN(bv)) break;
                    if (greater ? v > bv || float.IsNaN(v) : v < bv || float.IsNaN(v)) { best = j; bv = v; }
                }
                idx[o * inner + i] = best;
            }
        return idx;
    }

    private Tensor SelectAlong(int axis, bool keepDim, int[] index, string op)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, op);
        var kept = (int[])Shape.Clone();
        kept[a] = 1;
        var y = GatherAlong(a, index, kept);
        return keepDim ? y : y.Reshape(DropAxes(Shape, [a]));
    }
}
