namespace Latent.Core;

/// <summary>Shape arithmetic shared by the ops: sizes, strides, axes and NumPy broadcasting.</summary>
public static class Shapes
{
    /// <summary>"[2,3,4]".</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(",", shape.ToArray()) + "]";

    /// <summary>Product of the dimensions; throws if a dimension is negative or the product overflows int.</summary>
    public static long CheckedSize(ReadOnlySpan<int> shape, string paramName)
    {
        long size = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {Format(shape)} has a negative dimension", paramName);
            size *= d;
            if (size > int.MaxValue) throw new ArgumentException($"Shape {Format(shape)} has more than {int.MaxValue} elements", paramName);
        }
        return size;
    }

    /// <summary>Product of the dimensions.</summary>
    public static int Size(ReadOnlySpan<int> shape)
    {
        int size = 1;
        foreach (int d in shape) size *= d;
        return size;
    }

    /// <summary>Row-major strides of a contiguous tensor.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>Maps a possibly negative axis into [0, rank).</summary>
    public static int NormalizeAxis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if ((uint)a >= (uint)Math.Max(rank, 0) && !(rank == 0 && a == 0))
            throw new ArgumentException($"{op}: axis {axis} is out of range for rank {rank}", nameof(axis));
        return a;
    }

    /// <summary>True when two shapes are equal.</summary>
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>The broadcast shape of two shapes (NumPy rules), or an ArgumentException naming the op.</summary>
    public static int[] Broadcast(int[] a, int[] b, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: {Format(a)} and {Format(b)} cannot be broadcast: dimension {i} is {da} vs {db}");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>The broadcast shape of two shapes (NumPy rules), or null when they do not broadcast.</summary>
    public static int[]? TryBroadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1) return null;
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>
    /// Strides for reading a tensor of <paramref name="shape"/> as if it had <paramref name="target"/>'s shape:
    /// broadcast dimensions get stride 0.
    /// </summary>
    public static int[] BroadcastStrides(int[] shape, int[] target)
    {
        var own = Strides(shape);
        var s = new int[target.Length];
        int off = target.Length - shape.Length;
        for (int i = 0; i < target.Length; i++)
        {
            int j = i - off;
            s[i] = j < 0 || shape[j] == 1 ? 0 : own[j];
        }
        return s;
    }
}
