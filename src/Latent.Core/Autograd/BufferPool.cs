namespace Latent.Core.Autograd;

/// <summary>
/// Recycles the storage of the tensors a backward pass creates and drops (intermediate gradients, their temporaries),
/// so that a training step does not hand the garbage collector a fresh set of activation-sized arrays every time.
/// </summary>
/// <remarks>
/// While a pass runs (<see cref="Begin"/> … <see cref="Session.End"/>, on one thread, only without <c>createGraph</c>),
/// <see cref="Tensor"/>'s uninitialised allocations of at least <see cref="MinLength"/> floats are served from this
/// thread's free lists and remembered. At the end of the pass every remembered array goes back to the free lists
/// except those that escaped: the storage of a gradient the pass returns (leaf gradients, <see cref="Gradients.Grad"/>'s
/// results, views of them included), and any gradient handed to a backward rule recorded through the public
/// <see cref="Tensor.Record"/> (user code might keep it). Renting is switched off while such a rule runs, so what it
/// allocates is ordinary memory. Built-in rules (recorded with <c>RecordOp</c>) only read their saved tensors and return
/// new ones, so no array that goes back can still be seen from outside the pass. Arrays are reused by exact length;
/// the free lists keep at most <see cref="MaxFreeBytes"/> per thread.
/// </remarks>
internal static class BufferPool
{
    /// <summary>Shorter arrays are left to the GC (cheap in gen 0, and not worth a dictionary lookup).</summary>
    internal const int MinLength = 4096;

    /// <summary>Upper bound on the bytes one thread's free lists keep between passes.</summary>
    internal const long MaxFreeBytes = 512L << 20;

    [ThreadStatic] private static Session? t_current;
    [ThreadStatic] private static Dictionary<int, Stack<float[]>>? t_free;
    [ThreadStatic] private static long t_freeBytes;

    /// <summary>An array of <paramref name="length"/> floats from the active pass's pool, or null (allocate normally).</summary>
    public static float[]? TryRent(int length)
    {
        var session = t_current;
        if (session is null || !session.Renting || length < MinLength) return null;
        float[] array;
        if (t_free is not null && t_free.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            array = stack.Pop();
            t_freeBytes -= 4L * length;
        }
        else
        {
            array = GC.AllocateUninitializedArray<float>(length);
        }
        session.Rented.Add(array);
        return array;
    }

    /// <summary>Starts renting for a backward pass on this thread (nested passes get their own session).</summary>
    public static Session Begin()
    {
        var session = new Session(t_current);
        t_current = session;
        return session;
    }

    /// <summary>One backward pass's rentals.</summary>
    public sealed class Session(Session? previous)
    {
        internal readonly List<float[]> Rented = [];
        private readonly HashSet<float[]> _escaped = new(ReferenceEqualityComparer.Instance);

        /// <summary>False while a user-recorded backward rule runs.</summary>
        internal bool Renting = true;

        /// <summary>Marks <paramref name="t"/>'s storage as seen outside the pass: it is never recycled.</summary>
        public void Escape(Tensor t) => _escaped.Add(t.Storage);

        /// <summary>
        /// Ends the pass: with <paramref name="recycle"/> (the pass finished normally) every rented array that did not
        /// escape goes back to the free lists; otherwise they are simply dropped. Restores the enclosing session.
        /// </summary>
        public void End(bool recycle)
        {
            t_current = previous;
            if (!recycle) return;
            var free = t_free ??= [];
            foreach (var array in Rented)
            {
                if (_escaped.Contains(array)) continue;
                _escaped.Add(array); // an array rented twice (never happens today) goes back once
                if (t_freeBytes + 4L * array.Length > MaxFreeBytes) continue;
                if (!free.TryGetValue(array.Length, out var stack)) free[array.Length] = stack = new Stack<float[]>();
                stack.Push(array);
                t_freeBytes += 4L * array.Length;
            }
            Rented.Clear();
        }
    }
}
