using System.Globalization;
using Latent.Core;

namespace Latent.Models.Training;

/// <summary>
/// What <see cref="Trainer.Fit"/> does differently when <see cref="TrainingOptions.ProcessGroup"/> is set (synchronous
/// data-parallel SGD, as Horovod and PyTorch DDP do it): rank 0's weights are broadcast at the start; each rank takes
/// its contiguous shard of every global batch (the same seeded permutation on every rank); during each phase's backward
/// pass the gradients are summed by bucketed non-blocking all-reduces (<see cref="GradientBuckets"/>), each pre-scaled
/// by shard/batch so that the sum is the gradient of the global batch mean, together with the loss terms (so metrics are
/// of the global batch), a flag per parameter that says whether any rank produced a gradient for it, and a stop flag
/// (Ctrl+C on any rank stops every rank after the same step); every rank then takes the same optimizer step.
/// At the end of every epoch a checksum of the weights is compared across ranks and any difference throws.
/// </summary>
internal sealed class DataParallel
{
    private readonly IProcessGroup _group;
    private readonly long _bucketBytes;
    private readonly List<GradientBuckets?> _phases = [];
    private float[] _buffer = [];

    public DataParallel(IProcessGroup group, long bucketBytes)
    {
        _group = group;
        _bucketBytes = bucketBytes;
    }

    /// <summary>This rank's part [offset, offset + length) of a global batch of <paramref name="count"/> samples.</summary>
    public (int Offset, int Length) Shard(int count)
    {
        int lo = (int)((long)_group.Rank * count / _group.Size), hi = (int)((long)(_group.Rank + 1) * count / _group.Size);
        return (lo, hi - lo);
    }

    /// <summary>ArgumentException unless every batch of every epoch gives every rank at least one sample.</summary>
    public void Check(int samples, int batch)
    {
        int size = _group.Size, last = samples % batch;
        if (size < 1 || (uint)_group.Rank >= (uint)size) throw new ArgumentException($"training: process group has rank {_group.Rank} of size {size}", nameof(TrainingOptions.ProcessGroup));
        if (batch % size != 0)
            throw new ArgumentException($"training: batch size {batch} is not divisible by the {size} processes of the group", nameof(TrainingOptions.BatchSize));
        if (last != 0 && last < size)
            throw new ArgumentException($"training: the last batch of each epoch has {last} sample(s) ({samples} mod {batch}), fewer than the {size} processes; change the batch size or the number of processes", nameof(TrainingOptions.BatchSize));
    }

    /// <summary>Every rank takes rank 0's weights and buffers (the state dict, in order).</summary>
    public void BroadcastWeights(ITrainable model)
    {
        var tensors = model.Module.StateDict().Select(p => p.Tensor).ToList();
        var flat = Gather(tensors, 0);
        _group.Broadcast(flat.AsSpan(0, tensors.Sum(t => t.Size)), 0);
        int at = 0;
        foreach (var t in tensors) { flat.AsSpan(at, t.Size).CopyTo(t.Span); at += t.Size; }
    }

    /// <summary>
    /// The bucketed gradient reduction of phase <paramref name="phase"/> (laid out on first use and kept; laid out again
    /// if the number of loss terms changes): <see cref="GradientBuckets.Begin"/> before the backward pass, its
    /// <see cref="GradientBuckets.GradientReady"/> as the pass's hook, <see cref="GradientBuckets.Finish"/> after it.
    /// </summary>
    public GradientBuckets Buckets(int phase, IReadOnlyList<Tensor> parameters, int values)
    {
        while (_phases.Count <= phase) _phases.Add(null);
        if (_phases[phase] is not { } b || b.Values != values) _phases[phase] = b = new GradientBuckets(_group, parameters, values, _bucketBytes);
        return b;
    }

    /// <summary>Throws InvalidOperationException on every rank when any rank's weights differ from rank 0's (64-bit FNV-1a of the bits).</summary>
    public void VerifyReplicas(ITrainable model, int epoch)
    {
        ulong hash = Checksum(model);
        Span<double> root = [hash >> 32, hash & 0xFFFF_FFFF];
        _group.Broadcast(root, 0);
        ulong rootHash = ((ulong)root[0] << 32) | (ulong)root[1];
        Span<double> mismatches = [rootHash == hash ? 0 : 1];
        _group.AllReduceSum(mismatches);
        if (mismatches[0] > 0)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"training: data-parallel replicas diverged after epoch {epoch}: {mismatches[0]} of {_group.Size} processes hold weights that differ from rank 0's (this rank: checksum {hash:x16}, rank 0: {rootHash:x16})"));
    }

    /// <summary>64-bit FNV-1a over the bits of every tensor of the state dict, in order.</summary>
    internal static ulong Checksum(ITrainable model)
    {
        ulong h = 14695981039346656037UL;
        foreach (var (_, t) in model.Module.StateDict())
            foreach (float v in t.Span)
            {
                h ^= BitConverter.SingleToUInt32Bits(v);
                h *= 1099511628211UL;
            }
        return h;
    }

    private float[] Gather(List<Tensor> tensors, int offset)
    {
        int length = offset + tensors.Sum(t => t.Size);
        if (_buffer.Length < length) _buffer = new float[length];
        int at = offset;
        foreach (var t in tensors) { t.Span.CopyTo(_buffer.AsSpan(at, t.Size)); at += t.Size; }
        return _buffer;
    }
}
