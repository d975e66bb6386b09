using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Latent.Core;

namespace Latent.Models.Training;

/// <summary>
/// The gradient all-reduce of one training phase, cut into buckets that are reduced while the backward pass is still
/// running (PyTorch DDP's design, Li et al. 2020): the parameters, taken in reverse order — the forward pass uses the
/// last ones last, so backward finishes their gradients first — are packed into buckets: the first of about 1 MiB so
/// that communication starts early, the others of about <see cref="TrainingOptions.GradientBucketBytes"/>. <see cref="GradientReady"/>, the backward pass's per-leaf hook
/// (<see cref="Tensor.Backward"/>'s <c>gradientReady</c>), copies a parameter's gradient, pre-scaled by shard/batch,
/// into its bucket's slice of one flat buffer; a bucket whose parameters are all in is started with a non-blocking
/// all-reduce, always in bucket order, so every rank starts the same reductions in the same order whatever order its
/// hooks fire in. <see cref="Finish"/> starts what is left (parameters without a gradient send zeros and a zero flag),
/// waits for every bucket and copies the sums back into the gradients.
/// </summary>
/// <remarks>
/// Bucket b's slice of the buffer is [gradients of its parameters | one has-gradient flag per parameter]; bucket 0 (the
/// first started) also carries the loss terms, each weighted by shard/batch, and a stop flag, so the logged metrics are
/// those of the global batch and a stop request on any rank is seen by all at the same step. Every float is summed by
/// MPI_SUM exactly as one all-reduce of the whole buffer would sum it, so the bucket size does not change the results.
/// </remarks>
internal sealed class GradientBuckets
{
    private readonly IProcessGroup _group;
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly Dictionary<Tensor, int> _index = new(ReferenceEqualityComparer.Instance);
    private readonly int[] _gradAt, _flagAt, _bucketOf;
    private readonly (int Start, int Length, int[] Members)[] _buckets;
    private readonly int _extrasAt, _extras;
    private readonly float[] _buffer;
    private readonly bool[] _ready;
    private readonly int[] _pending;
    private readonly IPendingReduction?[] _requests;
    private int _nextToStart;
    private float _scale;

    /// <summary>The first bucket's cap (PyTorch DDP's too): small, so that communication starts early in the backward pass.</summary>
    public const long FirstBucketBytes = 1 << 20;

    /// <summary>
    /// Lays out the buckets of <paramref name="parameters"/> for reductions that carry <paramref name="values"/> loss
    /// terms: the first holds about min(<see cref="FirstBucketBytes"/>, <paramref name="bucketBytes"/>), the others about
    /// <paramref name="bucketBytes"/> each (0: one bucket of everything).
    /// </summary>
    public GradientBuckets(IProcessGroup group, IReadOnlyList<Tensor> parameters, int values, long bucketBytes)
    {
        _group = group;
        _parameters = parameters;
        int n = parameters.Count;
        for (int i = 0; i < n; i++) _index.TryAdd(parameters[i], i);
        _gradAt = new int[n];
        _flagAt = new int[n];
        _bucketOf = new int[n];
        _extras = values + 1;
        long capacity = bucketBytes <= 0 ? long.MaxValue : Math.Max(1, bucketBytes / sizeof(float));

        var buckets = new List<(int Start, int Length, int[] Members)>();
        var members = new List<int>();
        long floats = 0;
        int at = 0, extrasAt = 0;
        void Close()
        {
            int start = at;
            foreach (int m in members) { _gradAt[m] = at; at += parameters[m].Size; }
            foreach (int m in members) _flagAt[m] = at++;
            if (buckets.Count == 0) { extrasAt = at; at += _extras; }
            foreach (int m in members) _bucketOf[m] = buckets.Count;
            buckets.Add((start, at - start, members.ToArray()));
            members.Clear();
            floats = 0;
        }
        for (int i = n - 1; i >= 0; i--)
        {
            members.Add(i);
            floats += parameters[i].Size;
            if (floats >= (buckets.Count == 0 ? Math.Min(capacity, FirstBucketBytes / sizeof(float)) : capacity)) Close();
        }
        if (members.Count > 0 || buckets.Count == 0) Close();
        _extrasAt = extrasAt;
        _buckets = [.. buckets];
        _buffer = new float[at];
        _ready = new bool[n];
        _pending = new int[_buckets.Length];
        _requests = new IPendingReduction?[_buckets.Length];
    }

    /// <summary>Number of buckets (all-reduces per step).</summary>
    public int Count => _buckets.Length;

    /// <summary>The parameters (indices into the phase's list) of bucket <paramref name="b"/>, in the order they were packed.</summary>
    public IReadOnlyList<int> Members(int b) => _buckets[b].Members;

    /// <summary>The loss terms this layout was made for.</summary>
    public int Values => _extras - 1;

    /// <summary>
    /// Starts a step: records the loss terms (weighted by <paramref name="local"/>/<paramref name="global"/>) and this
    /// rank's stop flag in bucket 0, and clears the per-step state. Call before the backward pass.
    /// </summary>
    public void Begin(IReadOnlyList<KeyValuePair<string, double>> values, int local, int global, bool stop)
    {
        if (values.Count != Values) throw new ArgumentException($"training: the phase returned {values.Count} loss terms, the reduction was laid out for {Values}", nameof(values));
        _scale = (float)local / global;
        for (int k = 0; k < values.Count; k++) _buffer[_extrasAt + k] = (float)(values[k].Value * local / global);
        _buffer[_extrasAt + values.Count] = stop ? 1f : 0f;
        Array.Clear(_ready);
        Array.Clear(_requests);
        for (int b = 0; b < _buckets.Length; b++) _pending[b] = _buckets[b].Members.Length;
        _nextToStart = 0;
    }

    /// <summary>
    /// The backward pass's hook: <paramref name="leaf"/>'s gradient is final. Copies it (scaled) into its bucket and starts
    /// every bucket that is complete and whose predecessors have started; lets the started ones progress.
    /// </summary>
    public void GradientReady(Tensor leaf)
    {
        if (!_index.TryGetValue(leaf, out int i) || _ready[i] || leaf.Grad is not { } g) return; // another phase's parameter
        TensorPrimitives.Multiply(g.Span, _scale, _buffer.AsSpan(_gradAt[i], leaf.Size));
        _buffer[_flagAt[i]] = 1f;
        _ready[i] = true;
        _pending[_bucketOf[i]]--;
        int started = _nextToStart;
        while (_nextToStart < _buckets.Length && _pending[_nextToStart] == 0) Start(_nextToStart++);
        // MPI progresses non-blocking collectives only inside its calls: test the started ones when a bucket has just
        // started, which gets the new reduction going, rather than from every parameter's hook (an MPI call each, and
        // an idle MPI_Test may yield the core: Open MPI's mpi_yield_when_idle).
        if (_nextToStart > started)
            for (int b = 0; b < _nextToStart; b++) _requests[b]!.Test();
    }

    /// <summary>
    /// After the backward pass: starts the remaining buckets (a parameter without a gradient sends zeros and flag 0),
    /// waits for all, and stores the sums as the gradients (creating one where any rank had a gradient). Returns the
    /// loss terms of the global batch and whether any rank asked to stop.
    /// </summary>
    public (IReadOnlyList<KeyValuePair<string, double>> Values, bool Stop) Finish(IReadOnlyList<KeyValuePair<string, double>> values)
    {
        for (; _nextToStart < _buckets.Length; _nextToStart++)
        {
            foreach (int m in _buckets[_nextToStart].Members)
            {
                if (_ready[m]) continue;
                // Not reported by the pass (not reached, or a gradient set some other way): what the parameter holds, if anything.
                var dst = _buffer.AsSpan(_gradAt[m], _parameters[m].Size);
                if (_parameters[m].Grad is { } g) TensorPrimitives.Multiply(g.Span, _scale, dst);
                else dst.Clear();
                _buffer[_flagAt[m]] = _parameters[m].Grad is null ? 0f : 1f;
            }
            Start(_nextToStart);
        }
        foreach (var r in _requests) r!.Wait();
        for (int i = 0; i < _parameters.Count; i++)
        {
            if (_buffer[_flagAt[i]] <= 0f) continue;
            var p = _parameters[i];
            p.Grad ??= Tensor.Zeros(p.Shape);
            _buffer.AsSpan(_gradAt[i], p.Size).CopyTo(p.Grad.Span);
        }
        var reduced = new KeyValuePair<string, double>[values.Count];
        for (int k = 0; k < values.Count; k++) reduced[k] = new(values[k].Key, _buffer[_extrasAt + k]);
        return (reduced, _buffer[_extrasAt + values.Count] > 0f);
    }

    private void Start(int b)
    {
        var (start, length, _) = _buckets[b];
        _requests[b] = _group.StartAllReduceSum(_buffer.AsMemory(start, length));
    }
}
