namespace Latent.Models.Training;

/// <summary>
/// The collectives that data-parallel training needs from a group of processes, each holding a replica of the model
/// (<see cref="TrainingOptions.ProcessGroup"/>). Every member calls every collective in the same order with buffers of
/// the same length; the calls block until all members have joined. Implemented over MPI by Latent.Distributed.
/// </summary>
public interface IProcessGroup
{
    /// <summary>This process's index in the group, 0 ≤ Rank &lt; <see cref="Size"/>; rank 0 writes the files.</summary>
    int Rank { get; }

    /// <summary>Number of processes in the group (the world size).</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> [L] on every member by the elementwise sum over all members.</summary>
    void AllReduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> [L] on every member by the elementwise sum over all members.</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>Copies <paramref name="values"/> [L] of member <paramref name="root"/> into every member's buffer.</summary>
    void Broadcast(Span<float> values, int root);

    /// <summary>Copies <paramref name="values"/> [L] of member <paramref name="root"/> into every member's buffer.</summary>
    void Broadcast(Span<double> values, int root);

    /// <summary>
    /// Starts replacing <paramref name="values"/> [L] by the elementwise sum over all members and returns without
    /// waiting (MPI_Iallreduce): the caller goes on computing and must neither read nor write the buffer until the
    /// returned request has completed. Every member starts the same reductions in the same order. This default sums at
    /// once (a blocking <see cref="AllReduceSum(Span{float})"/>) and returns a completed request.
    /// </summary>
    IPendingReduction StartAllReduceSum(Memory<float> values)
    {
        AllReduceSum(values.Span);
        return CompletedReduction.Instance;
    }
}
