using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Latent.Models.Training;

namespace Latent.Distributed;

/// <summary>
/// One non-blocking collective in flight (an MPI_Request): its handle lives in native memory that MPI writes to, and
/// its buffer stays pinned until it has completed. <see cref="Wait"/> polls MPI_Test instead of calling MPI_Wait so that
/// a member that died or hangs ends in a <see cref="TimeoutException"/> (<see cref="MpiProcessGroup.Timeout"/>) rather
/// than in a process that waits forever.
/// </summary>
internal sealed unsafe class MpiRequest : IPendingReduction
{
    private readonly MpiProcessGroup _group;
    private readonly MpiNative _mpi;
    private readonly string _call;
    private nint* _handle;
    private MemoryHandle _pin;
    private bool _done;

    /// <summary>A request whose handle slot the caller passes to MPI's I-call (<see cref="Handle"/>); <paramref name="pin"/> is released on completion.</summary>
    public MpiRequest(MpiProcessGroup group, MpiNative mpi, string call, MemoryHandle pin)
    {
        _group = group;
        _mpi = mpi;
        _call = call;
        _pin = pin;
        _handle = (nint*)NativeMemory.AllocZeroed((nuint)sizeof(nint));
    }

    /// <summary>The MPI function that started it.</summary>
    public string Call => _call;

    /// <summary>The address MPI writes the request handle to.</summary>
    public nint* Handle => _handle;

    /// <inheritdoc/>
    public bool Test()
    {
        if (_done) return true;
        long t0 = Stopwatch.GetTimestamp();
        int flag;
        try { MpiNative.Check(_mpi.Test(_handle, &flag, _mpi.StatusIgnore), "MPI_Test of " + _call); }
        finally { _group.AddTime(Stopwatch.GetTimestamp() - t0); }
        if (flag != 0) Complete();
        return _done;
    }

    /// <inheritdoc/>
    public void Wait()
    {
        if (_done) return;
        long t0 = Stopwatch.GetTimestamp();
        var limit = _group.Timeout;
        for (int spins = 0; !Test(); spins++)
        {
            if (limit > TimeSpan.Zero && (spins & 1023) == 0 && Stopwatch.GetElapsedTime(t0) > limit)
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"MPI: {_call} on rank {_group.Rank} of {_group.Size} did not complete within {limit.TotalSeconds:F0} s: another process has probably died or hung (LATENT_MPI_TIMEOUT sets the limit in seconds, 0 = none)"));
            if (spins > 64) Thread.Yield(); // on a shared machine, let the other ranks run
        }
    }

    /// <summary>Marks the request as finished after a failed start: nothing to wait for.</summary>
    public void Abandon() => Complete();

    private void Complete()
    {
        _done = true;
        _pin.Dispose();
        NativeMemory.Free(_handle);
        _handle = null;
    }
}
