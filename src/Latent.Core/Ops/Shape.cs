namespace Latent.Core;

// Ops that move elements without arithmetic: reshape (a view), permute, slicing and its adjoint (pad),
// concatenation, and index-based gather/scatter (each the other's backward).
public sealed partial class Tensor
{
    /// <summary>The same elements with a new shape (shares storage). One dimension may be -1 (inferred).</summary>
    public Tensor Reshape(params int[] shape)
    {
        shape = (int[])shape.Clone();
        int infer = -1, known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape: {Shapes.Format(Shape)} -> {Shapes.Format(shape)}: more than one -1", nameof(shape));
                infer = i;
            }
            else if (shape[i] < 0) throw new ArgumentException($"Reshape: {Shapes.Format(Shape)} -> {Shapes.Format(shape)}: negative dimension", nameof(shape));
            else known *= shape[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Size % known != 0)
                throw new ArgumentException($"Reshape: {Shapes.Format(Shape)} ({Size} elements) -> {Shapes.Format(shape)}", nameof(shape));
            shape[infer] = Size / known;
        }
        if (Shapes.CheckedSize(shape, nameof(shape)) != Size)
            throw new ArgumentException($"Reshape: {Shapes.Format(Shape)} ({Size} elements) -> {Shapes.Format(shape)}", nameof(shape));
        var y = new Tensor(Storage, shape);
        if (ShouldRecord(this))
        {
            var inShape = Shape;
            y.RecordOp("reshape", [this], g => [g.Reshape(inShape)]);
        }
        return y;
    }

    /// <summary>[d0, d1, ...] -> [d0, d1*...] keeping the first <paramref name="startAxis"/> axes.</summary>
    public Tensor Flatten(int startAxis = 1)
    {
        int a = Shapes.NormalizeAxis(startAxis, Rank, "Flatten");
        var s = new int[a + 1];
        for (int i = 0; i < a; i++) s[i] = Shape[i];
        s[a] = -1;
        return Reshape(s);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="axis"/>.</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        if (a < 0 || a > Rank) throw new ArgumentException($"Unsqueeze: axis {axis} out of range for rank {Rank}", nameof(axis));
        var s = new List<int>(Shape);
        s.Insert(a, 1);
        return Reshape(s.ToArray());
    }

    /// <summary>Removes dimension <paramref name="axis"/>, which must have size 1.</summary>
    public Tensor Squeeze(int axis)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "Squeeze");
        if (Shape[a] != 1) throw new ArgumentException($"Squeeze: dimension {axis} of {Shapes.Format(Shape)} is not 1", nameof(axis));
        return Reshape(DropAxes(Shape, [a]));
    }

    /// <summary>Reorders the axes: output axis i is input axis <paramref name="perm"/>[i] (a copy).</summary>
    public Tensor Permute(params int[] perm)
    {
        if (perm.Length != Rank) throw new ArgumentException($"Permute: {perm.Length} axes for {Shapes.Format(Shape)}", nameof(perm));
        var p = new int[Rank];
        var seen = new bool[Rank];
        for (int i = 0; i < Rank; i++)
        {
            p[i] = Shapes.NormalizeAxis(perm[i], Rank, "Permute");
            if (seen[p[i]]) throw new ArgumentException($"Permute: axis {p[i]} repeated in [{string.Join(",", perm)}]", nameof(perm));
            seen[p[i]] = true;
        }
        var outShape = new int[Rank];
        for (int i = 0; i < Rank; i++) outShape[i] = Shape[p[i]];
        var y = Empty(outShape);
        var inStrides = Shapes.Strides(Shape);
        var srcStrides = new int[Rank];
        for (int i = 0; i < Rank; i++) srcStrides[i] = inStrides[p[i]];
        Kernels.Strided.Copy(Span, srcStrides, outShape, y.Span);
        if (ShouldRecord(this))
        {
            var inv = new int[Rank];
            for (int i = 0; i < Rank; i++) inv[p[i]] = i;
            y.RecordOp("permute", [this], g => [g.Permute(inv)]);
        }
        return y;
    }

    /// <summary>Swaps two axes (a copy).</summary>
    public Tensor Transpose(int axis0 = -2, int axis1 = -1)
    {
        var p = new int[Rank];
        for (int i = 0; i < Rank; i++) p[i] = i;
        int a = Shapes.NormalizeAxis(axis0, Rank, "Transpose"), b = Shapes.NormalizeAxis(axis1, Rank, "Transpose");
        (p[a], p[b]) = (p[b], p[a]);
        return Permute(p);
    }

    /// <summary>Elements [start, start+length) along <paramref name="axis"/> (a copy).</summary>
    public Tensor Narrow(int axis, int start, int length)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "Narrow");
        if (start < 0 || length < 0 || start + length > Shape[a])
            throw new ArgumentException($"Narrow: [{start}, {start + length}) is outside dimension {a} of {Shapes.Format(Shape)}");
        var starts = new int[Rank];
        var sizes = (int[])Shape.Clone();
        starts[a] = start;
        sizes[a] = length;
        return Slice(starts, sizes);
    }

    /// <summary>The block starting at <paramref name="starts"/> with extent <paramref name="sizes"/> (a copy).</summary>
    public Tensor Slice(int[] starts, int[] sizes)
    {
        if (starts.Length != Rank || sizes.Length != Rank)
            throw new ArgumentException($"Slice: {starts.Length} starts and {sizes.Length} sizes for {Shapes.Format(Shape)}");
        for (int i = 0; i < Rank; i++)
            if (starts[i] < 0 || sizes[i] < 0 || starts[i] + sizes[i] > Shape[i])
                throw new ArgumentException($"Slice: [{starts[i]}, {starts[i] + sizes[i]}) is outside dimension {i} of {Shapes.Format(Shape)}");
        var y = Empty(sizes);
        var strides = Shapes.Strides(Shape);
        int offset = 0;
        for (int i = 0; i < Rank; i++) offset += starts[i] * strides[i];
        Kernels.Strided.Copy(Span[offset..], strides, sizes, y.Span);
        if (ShouldRecord(this))
        {
            var inShape = Shape;
            y.RecordOp("slice", [this], g => [g.PlaceInto(inShape, starts)]);
        }
        return y;
    }

    /// <summary>
    /// A zero tensor of <paramref name="shape"/> with this tensor written at <paramref name="starts"/>:
    /// the adjoint of <see cref="Slice"/>, and zero padding.
    /// </summary>
    public Tensor PlaceInto(int[] shape, int[] starts)
    {
        if (shape.Length != Rank || starts.Length != Rank)
            throw new ArgumentException($"PlaceInto: {Shapes.Format(Shape)} into {Shapes.Format(shape)}");
        for (int i = 0; i < Rank; i++)
            if (starts[i] < 0 || starts[i] + Shape[i] > shape[i])
                throw new ArgumentException($"PlaceInto: {Shapes.Format(Shape)} at [{string.Join(",", starts)}] does not fit in {Shapes.Format(shape)}");
        var y = Zeros(shape);
        var strides = Shapes.Strides(shape);
        int offset = 0;
        for (int i = 0; i < Rank; i++) offset += starts[i] * strides[i];
        Kernels.Strided.Scatter(Span, Shape, y.Span[offset..], strides);
        if (ShouldRecord(this))
        {
            var mySizes = Shape;
            y.RecordOp("place_into", [this], g => [g.Slice(starts, mySizes)]);
        }
        return y;
    }

    /// <summary>Zero padding: <paramref name="padding"/> holds (before, after) per axis, outermost first.</summary>
    public Tensor Pad(params (int before, int after)[] padding)
    {
        if (padding.Length != Rank) throw new ArgumentException($"Pad: {padding.Length} pairs for {Shapes.Format(Shape)}", nameof(padding));
        var shape = new int[Rank];
        var starts = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            if (padding[i].before < 0 || padding[i].after < 0) throw new ArgumentException("Pad: negative padding", nameof(padding));
            shape[i] = Shape[i] + padding[i].before + padding[i].after;
            starts[i] = padding[i].before;
        }
        return PlaceInto(shape, starts);
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; all other dimensions must agree.</summary>
    public static Tensor Concat(Tensor[] tensors, int axis = 0)
    {
        if (tensors.Length == 0) throw new ArgumentException("Concat: no tensors", nameof(tensors));
        var first = tensors[0];
        int a = Shapes.NormalizeAxis(axis, first.Rank, "Concat");
        int total = 0;
        foreach (var t in tensors)
        {
            if (t.Rank != first.Rank) throw new ArgumentException($"Concat: {Shapes.Format(first.Shape)} and {Shapes.Format(t.Shape)} differ in rank");
            for (int i = 0; i < t.Rank; i++)
                if (i != a && t.Shape[i] != first.Shape[i])
                    throw new ArgumentException($"Concat: {Shapes.Format(first.Shape)} and {Shapes.Format(t.Shape)} differ in dimension {i}");
            total += t.Shape[a];
        }
        var shape = (int[])first.Shape.Clone();
        shape[a] = total;
        var y = Empty(shape);
        int outer = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        int rowOut = y.Size / Math.Max(outer, 1);
        var ys = y.Span;
        int col = 0;
        foreach (var t in tensors)
        {
            int rowIn = outer == 0 ? 0 : t.Size / outer;
            for (int o = 0; o < outer; o++) t.Span.Slice(o * rowIn, rowIn).CopyTo(ys.Slice(o * rowOut + col, rowIn));
            col += rowIn;
        }
        if (ShouldRecord(tensors))
        {
            var sizes = tensors.Select(t => t.Shape[a]).ToArray();
            y.RecordOp("concat", tensors, g =>
            {
                var gs = new Tensor?[tensors.Length];
                int start = 0;
                for (int i = 0; i < tensors.Length; i++)
                {
                    if (tensors[i].RequiresGrad) gs[i] = g.Narrow(a, start, sizes[i]);
                    start += sizes[i];
                }
                return gs;
            });
        }
        return y;
    }

    /// <summary>Stacks equal-shaped tensors along a new axis.</summary>
    public static Tensor Stack(Tensor[] tensors, int axis = 0) =>
        Concat(tensors.Select(t => t.Unsqueeze(axis)).ToArray(), axis);

    /// <summary>Splits along <paramref name="axis"/> into pieces of the given sizes.</summary>
    public Tensor[] Split(int[] sizes, int axis = 0)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "Split");
        if (sizes.Sum() != Shape[a]) throw new ArgumentException($"Split: sizes [{string.Join(",", sizes)}] do not add up to dimension {a} of {Shapes.Format(Shape)}");
        var r = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++) { r[i] = Narrow(a, start, sizes[i]); start += sizes[i]; }
        return r;
    }

    /// <summary>Splits along <paramref name="axis"/> into <paramref name="chunks"/> pieces (the last may be smaller).</summary>
    public Tensor[] Chunk(int chunks, int axis = 0)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "Chunk");
        if (chunks <= 0) throw new ArgumentException("Chunk: chunks must be positive", nameof(chunks));
        int step = (Shape[a] + chunks - 1) / chunks;
        var sizes = new List<int>();
        for (int s = 0; s < Shape[a]; s += step) sizes.Add(Math.Min(step, Shape[a] - s));
        return Split(sizes.ToArray(), a);
    }

    /// <summary>Rows <paramref name="index"/> of <paramref name="axis"/> (torch.index_select); embedding lookup is IndexSelect(0, ids).</summary>
    public Tensor IndexSelect(int axis, int[] index)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "IndexSelect");
        var (outer, r, inner) = Split3(a);
        foreach (int i in index)
            if ((uint)i >= (uint)r) throw new ArgumentException($"IndexSelect: index {i} out of range for dimension {a} of {Shapes.Format(Shape)}", nameof(index));
        var shape = (int[])Shape.Clone();
        shape[a] = index.Length;
        var y = Empty(shape);
        ReadOnlySpan<float> x = Span;
        var ys = y.Span;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < index.Length; j++)
                x.Slice((o * r + index[j]) * inner, inner).CopyTo(ys.Slice((o * index.Length + j) * inner, inner));
        if (ShouldRecord(this))
        {
            var inShape = Shape;
            y.RecordOp("index_select", [this], g => [g.IndexAdd(a, index, inShape)]);
        }
        return y;
    }

    /// <summary>Zeros of <paramref name="shape"/> with this tensor's slices added at <paramref name="index"/> along <paramref name="axis"/> (index_add; adjoint of IndexSelect).</summary>
    public Tensor IndexAdd(int axis, int[] index, int[] shape)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "IndexAdd");
        if (Shape[a] != index.Length) throw new ArgumentException($"IndexAdd: {index.Length} indices for dimension {a} of {Shapes.Format(Shape)}");
        var y = Zeros(shape);
        var (outer, r, inner) = y.Split3(a);
        ReadOnlySpan<float> x = Span;
        var ys = y.Span;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < index.Length; j++)
            {
                if ((uint)index[j] >= (uint)r) throw new ArgumentException($"IndexAdd: index {index[j]} out of range for {Shapes.Format(shape)}");
                var dst = ys.Slice((o * r + index[j]) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, x.Slice((o * index.Length + j) * inner, inner), dst);
            }
        if (ShouldRecord(this)) y.RecordOp("index_add", [this], g => [g.IndexSelect(a, index)]);
        return y;
    }

    /// <summary>
    /// torch.gather: out[..., j, ...] = x[..., index[..., j, ...], ...] along <paramref name="axis"/>;
    /// <paramref name="index"/> has <paramref name="indexShape"/>, equal to this shape except along the axis.
    /// </summary>
    public Tensor GatherAlong(int axis, int[] index, int[] indexShape)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "GatherAlong");
        CheckAlongShape(a, index, indexShape, "GatherAlong");
        var y = Empty(indexShape);
        var (outer, r, inner) = Split3(a);
        int k = indexShape[a];
        ReadOnlySpan<float> x = Span;
        var ys = y.Span;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                for (int i = 0; i < inner; i++)
                {
                    int p = (o * k + j) * inner + i;
                    int src = index[p];
                    if ((uint)src >= (uint)r) throw new ArgumentException($"GatherAlong: index {src} out of range for dimension {a} of {Shapes.Format(Shape)}");
                    ys[p] = x[(o * r + src) * inner + i];
                }
        if (ShouldRecord(this))
        {
            var inShape = Shape;
            y.RecordOp("gather", [this], g => [g.ScatterAddAlong(a, index, inShape)]);
        }
        return y;
    }

    /// <summary>Adjoint of <see cref="GatherAlong"/>: zeros of <paramref name="shape"/> with this tensor added at the indices.</summary>
    public Tensor ScatterAddAlong(int axis, int[] index, int[] shape)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "ScatterAddAlong");
        var y = Zeros(shape);
        y.CheckAlongShape(a, index, Shape, "ScatterAddAlong");
        var (outer, r, inner) = y.Split3(a);
        int k = Shape[a];
        ReadOnlySpan<float> x = Span;
        var ys = y.Span;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                for (int i = 0; i < inner; i++)
                {
                    int p = (o * k + j) * inner + i;
                    int dst = index[p];
                    if ((uint)dst >= (uint)r) throw new ArgumentException($"ScatterAddAlong: index {dst} out of range for {Shapes.Format(shape)}");
                    ys[(o * r + dst) * inner + i] += x[p];
                }
        if (ShouldRecord(this)) y.RecordOp("scatter_add", [this], g => [g.GatherAlong(a, index, Shape)]);
        return y;
    }

    private void CheckAlongShape(int a, int[] index, int[] indexShape, string op)
    {
        if (indexShape.Length != Rank) throw new ArgumentException($"{op}: index shape {Shapes.Format(indexShape)} vs {Shapes.Format(Shape)}");
        for (int i = 0; i < Rank; i++)
            if (i != a && indexShape[i] != Shape[i])
                throw new ArgumentException($"{op}: index shape {Shapes.Format(indexShape)} vs {Shapes.Format(Shape)} differ in dimension {i}");
        if (index.Length != Shapes.Size(indexShape)) throw new ArgumentException($"{op}: {index.Length} indices for shape {Shapes.Format(indexShape)}");
    }

    /// <summary>
    /// The <paramref name="k"/> largest (or smallest) values along <paramref name="axis"/>, sorted, with their
    /// indices. The gradient flows to the selected values only, never through the indices.
    /// </summary>
    public (Tensor Values, int[] Indices) TopK(int k, int axis = -1, bool largest = true)
    {
        int a = Shapes.NormalizeAxis(axis, Rank, "TopK");
        var (outer, r, inner) = Split3(a);
        if (k < 0 || k > r) throw new ArgumentException($"TopK: k={k} for dimension {a} of {Shapes.Format(Shape)}", nameof(k));
        var idxShape = (int[])Shape.Clone();
        idxShape[a] = k;
        var index = new int[outer * k * inner];
        var order = new int[r];
        var keys = new float[r];
        ReadOnlySpan<float> x = Span;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                for (int j = 0; j < r; j++) { order[j] = j; keys[j] = x[(o * r + j) * inner + i]; }
                // Sort by value, ties keeping the lower index first; NaN ranks above every number, as in torch.topk.
                Array.Sort(order, (p, q) =>
                {
                    int c = largest ? CompareNaNLast(keys[q], keys[p]) : CompareNaNLast(keys[p], keys[q]);
                    return c != 0 ? c : p.CompareTo(q);
                });
                for (int j = 0; j < k; j++) index[(o * k + j) * inner + i] = order[j];
            }
        return (GatherAlong(a, index, idxShape), index);
    }

    /// <summary>Total order on floats with NaN greater than +∞ (float.CompareTo puts NaN below −∞).</summary>
    private static int CompareNaNLast(float x, float y) =>
        float.IsNaN(x) ? (float.IsNaN(y) ? 0 : 1) : float.IsNaN(y) ? -1 : x.CompareTo(y);
}
