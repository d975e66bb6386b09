using System.Runtime.InteropServices;

namespace Latent.Distributed;

/// <summary>
/// The entry points of MPI's C interface that data-parallel training uses, bound at run time to Open MPI
/// (libmpi.so.40) or MPICH (libmpich.so.12). The two differ in their handles: Open MPI's communicators, datatypes and
/// operations are pointers to exported objects (<c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>), read here with
/// <see cref="NativeLibrary.GetExport"/>; MPICH's are 32-bit integer constants from its mpi.h, passed in the low half of
/// a pointer-sized argument (the x86-64 and AArch64 calling conventions read only that half of an int argument).
/// </summary>
internal sealed unsafe class MpiNative
{
    // MPICH's mpi.h: the handles are ints with the kind in the top bits.
    private const int MpichCommWorld = 0x44000000, MpichFloat = 0x4c00040a, MpichDouble = 0x4c00080b, MpichSum = 0x58000003;
    private const int RtldNow = 2, RtldGlobal = 0x100;

    public required string LibraryPath { get; init; }
    public required string Flavour { get; init; }
    public nint CommWorld { get; private init; }
    public nint Float { get; private init; }
    public nint Double { get; private init; }
    public nint Sum { get; private init; }
    /// <summary>MPI_IN_PLACE: (void*)1 in Open MPI, (void*)-1 in MPICH.</summary>
    public nint InPlace { get; private init; }
    /// <summary>MPI_STATUS_IGNORE: NULL in Open MPI, (MPI_Status*)1 in MPICH.</summary>
    public nint StatusIgnore { get; private init; }

    public delegate* unmanaged<int*, int> Initialized;
    public delegate* unmanaged<int*, int> Finalized;
    public delegate* unmanaged<int*, nint*, int> Init;
    public delegate* unmanaged<int> Finalize;
    public delegate* unmanaged<nint, int*, int> CommRank;
    public delegate* unmanaged<nint, int*, int> CommSize;
    public delegate* unmanaged<nint, void*, int, nint, nint, nint, int> AllReduce;
    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast;
    public delegate* unmanaged<nint, int> Barrier;
    public delegate* unmanaged<nint, int, int> Abort;
    // MPI_Request is a pointer in Open MPI and an int in MPICH: both are passed as the address of a zeroed 8-byte slot
    // (MPICH reads and writes its low half, which is the int on little-endian machines).
    public delegate* unmanaged<nint, void*, int, nint, nint, nint, nint*, int> Iallreduce;
    public delegate* unmanaged<void*, int, nint, int, nint, nint*, int> Ibcast;
    public delegate* unmanaged<nint*, int*, nint, int> Test;

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern nint DlOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    /// <summary>The libraries tried in order when LATENT_MPI_LIBRARY does not name one.</summary>
    public static readonly string[] Candidates = ["libmpi.so.40", "libmpi.so", "libmpich.so.12", "libmpich.so", "libmpi.so.12"];

    /// <summary>Loads MPI, or returns null with the reason (no library found, or a library without MPI's symbols).</summary>
    public static MpiNative? TryLoad(out string reason)
    {
        var named = Environment.GetEnvironmentVariable("LATENT_MPI_LIBRARY");
        var tried = string.IsNullOrEmpty(named) ? Candidates : [named];
        foreach (var name in tried)
        {
            // Open MPI's plugins resolve libmpi's symbols globally: load it RTLD_GLOBAL (NativeLibrary.Load is RTLD_LOCAL).
            nint handle = OperatingSystem.IsWindows() ? 0 : DlOpen(name, RtldNow | RtldGlobal);
            if (handle == 0 && !NativeLibrary.TryLoad(name, out handle)) continue;
            try
            {
                reason = "";
                return Bind(name, handle);
            }
            catch (EntryPointNotFoundException e)
            {
                reason = $"MPI: '{name}' lacks {e.Message}";
                return null;
            }
        }
        reason = $"MPI: no MPI library found (tried {string.Join(", ", tried)}; install openmpi-bin and libopenmpi-dev, or mpich, or set LATENT_MPI_LIBRARY)";
        return null;
    }

    private static MpiNative Bind(string name, nint lib)
    {
        nint F(string symbol) => NativeLibrary.TryGetExport(lib, symbol, out var p) ? p : throw new EntryPointNotFoundException(symbol);
        bool openMpi = NativeLibrary.TryGetExport(lib, "ompi_mpi_comm_world", out var commWorld);
        var mpi = openMpi
            ? new MpiNative
            {
                LibraryPath = name, Flavour = "Open MPI", CommWorld = commWorld, Float = F("ompi_mpi_float"), Double = F("ompi_mpi_double"),
                Sum = F("ompi_mpi_op_sum"), InPlace = 1, StatusIgnore = 0,
            }
            : new MpiNative
            {
                LibraryPath = name, Flavour = "MPICH", CommWorld = MpichCommWorld, Float = MpichFloat, Double = MpichDouble, Sum = MpichSum, InPlace = -1,
                StatusIgnore = 1,
            };
        mpi.Initialized = (delegate* unmanaged<int*, int>)F("MPI_Initialized");
        mpi.Finalized = (delegate* unmanaged<int*, int>)F("MPI_Finalized");
        mpi.Init = (delegate* unmanaged<int*, nint*, int>)F("MPI_Init");
        mpi.Finalize = (delegate* unmanaged<int>)F("MPI_Finalize");
        mpi.CommRank = (delegate* unmanaged<nint, int*, int>)F("MPI_Comm_rank");
        mpi.CommSize = (delegate* unmanaged<nint, int*, int>)F("MPI_Comm_size");
        mpi.AllReduce = (delegate* unmanaged<nint, void*, int, nint, nint, nint, int>)F("MPI_Allreduce");
        mpi.Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)F("MPI_Bcast");
        mpi.Barrier = (delegate* unmanaged<nint, int>)F("MPI_Barrier");
        mpi.Abort = (delegate* unmanaged<nint, int, int>)F("MPI_Abort");
        mpi.Iallreduce = (delegate* unmanaged<nint, void*, int, nint, nint, nint, nint*, int>)F("MPI_Iallreduce");
        mpi.Ibcast = (delegate* unmanaged<void*, int, nint, int, nint, nint*, int>)F("MPI_Ibcast");
        mpi.Test = (delegate* unmanaged<nint*, int*, nint, int>)F("MPI_Test");
        return mpi;
    }

    /// <summary>Throws naming the call when MPI returns an error code (MPI_SUCCESS is 0 in every implementation).</summary>
    public static void Check(int rc, string call)
    {
        if (rc != 0) throw new InvalidOperationException($"MPI: {call} failed with error code {rc}");
    }
}
