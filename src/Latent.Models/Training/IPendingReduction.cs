namespace Latent.Models.Training;

/// <summary>
/// A reduction started by <see cref="IProcessGroup.StartAllReduceSum"/> and not yet known to be finished (an MPI
/// request). Its buffer belongs to the group until <see cref="Test"/> returns true or <see cref="Wait"/> returns.
/// </summary>
public interface IPendingReduction
{
    /// <summary>Lets the reduction progress without blocking; true once it has completed (the buffer holds the sums).</summary>
    bool Test();

    /// <summary>Blocks until the reduction has completed; throws when it fails or a member stops answering.</summary>
    void Wait();
}
