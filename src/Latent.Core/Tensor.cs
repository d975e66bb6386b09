using System.Globalization;
using System.Text;

namespace Latent.Core;

/// <summary>
/// A float32 n-dimensional array, row-major and contiguous, that records the operations applied to it
/// so that <see cref="Backward"/> can compute gradients (reverse-mode autodiff, as in micrograd).
/// </summary>
/// <remarks>
/// Storage is a plain <c>float[]</c> that may be longer than <see cref="Size"/>; only the first
/// <see cref="Size"/> elements belong to the tensor. <see cref="Reshape"/> and <see cref="Detach"/> share
/// storage; every other op writes a new tensor. Ops never modify their inputs: the only in-place writes
/// are optimizer updates and explicit <c>...InPlace</c> methods, made under <see cref="NoGrad"/>.
/// </remarks>
public sealed partial class Tensor
{
    internal readonly float[] Storage;
    private readonly int[] _shape;

    /// <summary>Creates a tensor over <paramref name="data"/> (not copied) with the given shape.</summary>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long size = Shapes.CheckedSize(shape, nameof(shape));
        if (data.Length < size)
            throw new ArgumentException($"Tensor: data has {data.Length} elements but shape {Shapes.Format(shape)} needs {size}", nameof(data));
        Storage = data;
        _shape = (int[])shape.Clone();
        Size = (int)size;
    }

    /// <summary>The dimensions, outermost first. Do not modify the returned array.</summary>
    public int[] Shape => _shape;

    /// <summary>Number of elements.</summary>
    public int Size { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span => Storage.AsSpan(0, Size);

    /// <summary>Size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[Shapes.NormalizeAxis(axis, Rank, "Dim")];

    /// <summary>Element at a full index.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get => Storage[FlatIndex(index)];
        set => Storage[FlatIndex(index)] = value;
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank)
            throw new ArgumentException($"Index: {index.Length} indices for a tensor of shape {Shapes.Format(_shape)}", nameof(index));
        int flat = 0;
        for (int i = 0; i < index.Length; i++)
        {
            int ix = index[i] < 0 ? index[i] + _shape[i] : index[i];
            if ((uint)ix >= (uint)_shape[i])
                throw new ArgumentOutOfRangeException(nameof(index), $"Index: {index[i]} out of range for dimension {i} of shape {Shapes.Format(_shape)}");
            flat = flat * _shape[i] + ix;
        }
        return flat;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Item: tensor of shape {Shapes.Format(_shape)} has {Size} elements, not 1");
        return Storage[0];
    }

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => Span.ToArray();

    // ---- factories -------------------------------------------------------------------------------

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[Shapes.CheckedSize(shape, nameof(shape))], shape);

    /// <summary>
    /// A tensor with uninitialised contents, for ops that overwrite every element. Inside a backward pass the storage
    /// may be a recycled one (<see cref="Autograd.BufferPool"/>).
    /// </summary>
    internal static Tensor Empty(int[] shape)
    {
        int size = (int)Shapes.CheckedSize(shape, nameof(shape));
        return new(Autograd.BufferPool.TryRent(size) ?? GC.AllocateUninitializedArray<float>(size), shape);
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Empty(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => new([value]);

    /// <summary>A tensor holding a copy of <paramref name="values"/> with the given shape (default 1-D).</summary>
    public static Tensor FromArray(ReadOnlySpan<float> values, params int[] shape)
    {
        if (shape.Length == 0 && values.Length != 1) shape = [values.Length];
        var t = Empty(shape);
        if (values.Length != t.Size)
            throw new ArgumentException($"FromArray: {values.Length} values for shape {Shapes.Format(shape)}", nameof(values));
        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>0, 1, ..., n-1 as a 1-D tensor.</summary>
    public static Tensor Arange(int n)
    {
        var t = Empty([n]);
        for (int i = 0; i < n; i++) t.Storage[i] = i;
        return t;
    }

    /// <summary>Zeros with the shape of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like._shape);

    /// <summary>Ones with the shape of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Ones(like._shape);

    /// <summary>A copy with its own storage, outside the graph.</summary>
    public Tensor Clone() => FromArray(Span, _shape);

    /// <summary>The same storage, cut off from the graph (no gradient flows through it).</summary>
    public Tensor Detach() => new(Storage, _shape);

    /// <summary>Copies <paramref name="source"/>'s elements into this tensor (shapes must have equal sizes).</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.Size != Size)
            throw new ArgumentException($"CopyFrom: {Shapes.Format(source.Shape)} into {Shapes.Format(_shape)}", nameof(source));
        source.Span.CopyTo(Span);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(Shapes.Format(_shape)).Append(' ');
        int n = Math.Min(Size, 8);
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Storage[i].ToString("G6", CultureInfo.InvariantCulture));
        }
        if (Size > n) sb.Append(", ...");
        sb.Append(']');
        if (RequiresGrad) sb.Append(GradFn is null ? " (leaf, requires grad)" : $" (grad_fn={GradFn.Op})");
        return sb.ToString();
    }
}
