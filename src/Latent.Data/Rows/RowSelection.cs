using System.Buffers;

namespace Latent.Data.Rows;

/// <summary>Rows <c>indices[0]</c>, <c>indices[1]</c>, … of another source, in that order: a subset that copies no sample.</summary>
internal sealed class RowSelection : IRowSource
{
    private readonly IRowSource _inner;
    private readonly int[] _indices;

    public RowSelection(IRowSource inner, int[] indices, string name)
    {
        // A selection of a selection maps straight to the file's rows.
        if (inner is RowSelection outer)
        {
            var mapped = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++) mapped[i] = outer._indices[indices[i]];
            inner = outer._inner;
            indices = mapped;
        }
        _inner = inner;
        _indices = indices;
        Name = name;
    }

    public string Name { get; }

    public int Count => _indices.Length;

    public int[] SampleShape => _inner.SampleShape;

    public void Read(ReadOnlySpan<int> rows, Span<float> destination)
    {
        var mapped = ArrayPool<int>.Shared.Rent(rows.Length);
        try
        {
            for (int i = 0; i < rows.Length; i++)
            {
                int r = rows[i];
                if ((uint)r >= (uint)_indices.Length) throw new ArgumentOutOfRangeException(nameof(rows), $"Read: row {r} outside '{Name}' of {_indices.Length} rows");
                mapped[i] = _indices[r];
            }
            _inner.Read(mapped.AsSpan(0, rows.Length), destination);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(mapped);
        }
    }
}
