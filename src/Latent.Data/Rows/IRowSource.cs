namespace Latent.Data.Rows;

/// <summary>
/// Samples that can be read one row at a time, in any order, without holding them all in memory: the storage behind a
/// <see cref="Dataset"/> whose samples are read on demand (<see cref="Dataset(string, IRowSource, int[])"/>). A
/// data-parallel run reads through it only the rows of each step's shard (PyTorch's map-style dataset).
/// </summary>
public interface IRowSource
{
    /// <summary>Where the rows come from (a file path), for messages.</summary>
    string Name { get; }

    /// <summary>Number of rows (samples).</summary>
    int Count { get; }

    /// <summary>Shape of one row ([1,28,28], [d]); its size is the number of floats per row.</summary>
    int[] SampleShape { get; }

    /// <summary>
    /// Reads rows <paramref name="rows"/> [K] (each in 0 .. Count-1, any order, repeats allowed) into
    /// <paramref name="destination"/> [K, ...SampleShape], row after row, as the whole-file reader would decode them.
    /// Safe to call from several threads at once.
    /// </summary>
    void Read(ReadOnlySpan<int> rows, Span<float> destination);
}
