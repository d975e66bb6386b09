using System.Diagnostics;
using Latent.Models.Training;

namespace Latent.Distributed;

/// <summary>
/// MPI_COMM_WORLD as an <see cref="IProcessGroup"/>: start the processes with <c>mpirun -np N</c>, call
/// <see cref="Initialize"/> once in each, pass the group to the trainer (<see cref="TrainingOptions.ProcessGroup"/>) and
/// dispose it at the end (MPI_Finalize). Open MPI and MPICH are found at run time (<see cref="TryInitialize"/>); nothing
/// native is needed to build or to train without it. Sums are MPI_SUM on MPI_FLOAT / MPI_DOUBLE, in place.
/// </summary>
public sealed unsafe class MpiProcessGroup : IProcessGroup, IDisposable
{
    private static MpiProcessGroup? _world;
    private readonly MpiNative _mpi;
    private bool _disposed;

    private MpiProcessGroup(MpiNative mpi, int rank, int size)
    {
        _mpi = mpi;
        Rank = rank;
        Size = size;
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>"Open MPI" or "MPICH".</summary>
    public string Implementation => _mpi.Flavour;

    /// <summary>The library file that was loaded (libmpi.so.40, libmpich.so.12, or LATENT_MPI_LIBRARY).</summary>
    public string Library => _mpi.LibraryPath;

    /// <summary>
    /// Wall time spent inside MPI's collective calls so far — starting them, testing them and waiting for them, slower
    /// members included; with non-blocking all-reduces this is the communication the computation did not hide.
    /// </summary>
    public TimeSpan CommunicationTime => Stopwatch.GetElapsedTime(0, _ticks);

    /// <summary>Number of collectives started so far.</summary>
    public long Calls { get; private set; }

    /// <summary>True when this process was started by an MPI launcher (mpirun/mpiexec set these variables).</summary>
    public static bool LaunchedByMpirun =>
        Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null || Environment.GetEnvironmentVariable("PMI_SIZE") is not null
        || Environment.GetEnvironmentVariable("PMIX_RANK") is not null;

    /// <summary>Initialises MPI (once per process) and returns the world group; InvalidOperationException with the reason when MPI is missing.</summary>
    public static MpiProcessGroup Initialize() =>
        TryInitialize(out var reason) ?? throw new InvalidOperationException(reason);

    /// <summary>Initialises MPI (once per process) and returns the world group, or null with the reason MPI is unavailable.</summary>
    public static MpiProcessGroup? TryInitialize(out string reason)
    {
        reason = "";
        if (_world is { _disposed: false }) return _world;
        if (_world is not null) { reason = "MPI: already finalised in this process"; return null; }
        var mpi = MpiNative.TryLoad(out reason);
        if (mpi is null) return null;
        int flag, rank, size;
        MpiNative.Check(mpi.Initialized(&flag), "MPI_Initialized");
        if (flag == 0) MpiNative.Check(mpi.Init(null, null), "MPI_Init");
        MpiNative.Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        MpiNative.Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        return _world = new MpiProcessGroup(mpi, rank, size);
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values) => Reduce(values, _mpi.Float);

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) => Reduce(values, _mpi.Double);

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, int root) => Bcast(values, _mpi.Float, root);

    /// <inheritdoc/>
    public void Broadcast(Span<double> values, int root) => Bcast(values, _mpi.Double, root);

    /// <summary>Blocks until every member has called it.</summary>
    public void Barrier()
    {
        CheckOpen();
        MpiNative.Check(_mpi.Barrier(_mpi.CommWorld), "MPI_Barrier");
    }

    /// <summary>Ends every process of the job with <paramref name="errorCode"/> (MPI_Abort): for a failure on one rank that the others would wait for forever.</summary>
    public void Abort(int errorCode)
    {
        CheckOpen();
        _mpi.Abort(_mpi.CommWorld, errorCode);
    }

    /// <summary>MPI_Finalize (collective: every member calls it).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        int finalized;
        MpiNative.Check(_mpi.Finalized(&finalized), "MPI_Finalized");
        if (finalized == 0) MpiNative.Check(_mpi.Finalize(), "MPI_Finalize");
    }

    /// <summary>
    /// MPI_Finalize, waiting for it at most <paramref name="timeout"/>: true when it returned. For a process that stops
    /// because the job is ending: Open MPI's MPI_Finalize waits for mpirun (a PMIx fence), and an mpirun that is ending
    /// the job after Ctrl+C does not answer — it sleeps odls_base_sigkill_timeout seconds, then kills the ranks. On
    /// false the call goes on in a background thread and the process may exit without it.
    /// </summary>
    public bool TryFinalize(TimeSpan timeout)
    {
        if (_disposed) return true;
        Exception? failed = null;
        var thread = new Thread(() =>
        {
            try { Dispose(); }
            catch (Exception e) { failed = e; }
        }) { IsBackground = true, Name = "MPI_Finalize" };
        thread.Start();
        if (!thread.Join(timeout)) return false;
        if (failed is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed).Throw();
        return true;
    }

    /// <inheritdoc/>
    public IPendingReduction StartAllReduceSum(Memory<float> values)
    {
        CheckOpen();
        var pin = values.Pin();
        var request = new MpiRequest(this, _mpi, "MPI_Iallreduce", pin);
        long t0 = Stopwatch.GetTimestamp();
        Started(request, _mpi.Iallreduce(_mpi.InPlace, pin.Pointer, values.Length, _mpi.Float, _mpi.Sum, _mpi.CommWorld, request.Handle), t0);
        return request;
    }

    /// <summary>
    /// How long a collective may wait for the other members before it throws (a member that died or hangs): from
    /// LATENT_MPI_TIMEOUT in seconds, 600 when unset; zero or less waits forever.
    /// </summary>
    public TimeSpan Timeout { get; set; } = ReadTimeout();

    internal void AddTime(long ticks) => _ticks += ticks;

    private long _ticks;

    private static TimeSpan ReadTimeout()
    {
        var text = Environment.GetEnvironmentVariable("LATENT_MPI_TIMEOUT");
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromSeconds(600);
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double s) || double.IsNaN(s))
            throw new ArgumentException($"LATENT_MPI_TIMEOUT '{text}': expected a number of seconds (0 = no limit)");
        return s <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(s);
    }

    private void Started(MpiRequest request, int rc, long t0)
    {
        AddTime(Stopwatch.GetTimestamp() - t0);
        Calls++;
        if (rc != 0)
        {
            request.Abandon();
            MpiNative.Check(rc, request.Call);
        }
    }

    // MPI counts are ints: longer buffers go in chunks of 2^30 elements, one collective each, waited for in turn.
    private const int Chunk = 1 << 30;

    private void Reduce<T>(Span<T> values, nint type) where T : unmanaged
    {
        CheckOpen();
        fixed (T* p = values)
            for (int at = 0; at < values.Length; at += Chunk)
            {
                var request = new MpiRequest(this, _mpi, "MPI_Iallreduce", default);
                long t0 = Stopwatch.GetTimestamp();
                Started(request, _mpi.Iallreduce(_mpi.InPlace, p + at, Math.Min(Chunk, values.Length - at), type, _mpi.Sum, _mpi.CommWorld, request.Handle), t0);
                request.Wait();
            }
    }

    private void Bcast<T>(Span<T> values, nint type, int root) where T : unmanaged
    {
        CheckOpen();
        if ((uint)root >= (uint)Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"MPI: broadcast root {root} is not a rank of a group of {Size}");
        fixed (T* p = values)
            for (int at = 0; at < values.Length; at += Chunk)
            {
                var request = new MpiRequest(this, _mpi, "MPI_Ibcast", default);
                long t0 = Stopwatch.GetTimestamp();
                Started(request, _mpi.Ibcast(p + at, Math.Min(Chunk, values.Length - at), type, root, _mpi.CommWorld, request.Handle), t0);
                request.Wait();
            }
    }

    private void CheckOpen() => ObjectDisposedException.ThrowIf(_disposed, this);
}
