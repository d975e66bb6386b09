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
/// <para>
/// A <see cref="StepScope"/> (<see cref="BeginStep"/>) extends this across the forward pass: while it is the active
/// session, uninitialised allocations are rented too, and when it ends the arrays of the tensors that were recorded in
/// the autograd graph (op outputs with a <see cref="Tensor.GradFn"/>: activations, saved inputs of backward rules) go
/// back to the free lists; what was rented but never recorded (no-grad results, optimizer temporaries) is left to the
/// GC, since user code may keep it. Leaf gradients that <see cref="Tensor.Backward"/> stores are never recycled.
/// </para>
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
        var session = new Session(t_current, recordedOnly: false);
        t_current = session;
        return session;
    }

    /// <summary>Starts renting for a whole training step on this thread (<see cref="StepScope"/>).</summary>
    public static Session BeginStep()
    {
        var session = new Session(t_current, recordedOnly: true);
        t_current = session;
        return session;
    }

    /// <summary>
    /// Notes that <paramref name="storage"/> belongs to a tensor just recorded in the graph: the enclosing step session,
    /// if any, may recycle it when it ends.
    /// </summary>
    public static void Recorded(float[] storage)
    {
        for (var s = t_current; s is not null; s = s.Previous)
            if (s.RecordedOnly)
            {
                s.Graph.Add(storage);
                return;
            }
    }

    /// <summary>Marks <paramref name="storage"/> as kept by user-visible state (a leaf's gradient) in every active session.</summary>
    public static void Keep(float[] storage)
    {
        for (var s = t_current; s is not null; s = s.Previous) s.Escape(storage);
    }

    /// <summary>One backward pass's (or one step's) rentals.</summary>
    public sealed class Session(Session? previous, bool recordedOnly)
    {
        internal readonly List<float[]> Rented = [];
        private readonly HashSet<float[]> _escaped = new(ReferenceEqualityComparer.Instance);

        /// <summary>Storage of the tensors recorded in the graph while a step session was active.</summary>
        internal readonly HashSet<float[]> Graph = new(ReferenceEqualityComparer.Instance);

        /// <summary>The session this one was started inside, restored when it ends.</summary>
        internal Session? Previous => previous;

        /// <summary>True for a step session: only recorded tensors' arrays are recycled.</summary>
        internal bool RecordedOnly => recordedOnly;

        /// <summary>False while a user-recorded backward rule runs.</summary>
        internal bool Renting = true;

        /// <summary>Marks <paramref name="t"/>'s storage as seen outside the pass: it is never recycled.</summary>
        public void Escape(Tensor t) => _escaped.Add(t.Storage);

        /// <summary>Marks <paramref name="storage"/> as seen outside the pass: it is never recycled.</summary>
        internal void Escape(float[] storage) => _escaped.Add(storage);

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
                if (_escaped.Contains(array) || (recordedOnly && !Graph.Contains(array))) continue;
                _escaped.Add(array); // an array rented twice (never happens today) goes back once
                if (t_freeBytes + 4L * array.Length > MaxFreeBytes) continue;
                if (!free.TryGetValue(array.Length, out var stack)) free[array.Length] = stack = new Stack<float[]>();
                stack.Push(array);
                t_freeBytes += 4L * array.Length;
            }
            Rented.Clear();
            Graph.Clear();
        }
    }
}
