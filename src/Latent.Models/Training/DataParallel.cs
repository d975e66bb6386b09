using System.Globalization;
using Latent.Core;

namespace Latent.Models.Training;

/// <summary>
/// What <see cref="Trainer.Fit"/> does differently when <see cref="TrainingOptions.ProcessGroup"/> is set (synchronous
/// data-parallel SGD, as Horovod and PyTorch DDP do it): rank 0's weights are broadcast at the start; each rank takes
/// its contiguous shard of every global batch (the same seeded permutation on every rank); after each phase's backward
/// pass one all-reduce of a flat buffer sums the gradients, each pre-scaled by shard/batch so that the sum is the
/// gradient of the global batch mean, together with the loss terms (so metrics are of the global batch) and a flag per
/// parameter that says whether any rank produced a gradient for it; every rank then takes the same optimizer step.
/// At the end of every epoch a checksum of the weights is compared across ranks and any difference throws.
/// </summary>
internal sealed class DataParallel
{
    private readonly IProcessGroup _group;
    private float[] _buffer = [];

    public DataParallel(IProcessGroup group) => _group = group;

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
    /// Sums the phase's gradients over the group (each scaled by <paramref name="local"/>/<paramref name="global"/>) and
    /// returns the loss terms of the global batch: Σ_r value_r · local_r / global.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> Reduce(IReadOnlyList<Tensor> parameters, IReadOnlyList<KeyValuePair<string, double>> values, int local, int global)
    {
        int grads = parameters.Sum(p => p.Size), length = grads + parameters.Count + values.Count;
        if (_buffer.Length < length) _buffer = new float[length];
        var buffer = _buffer.AsSpan(0, length);
        float scale = (float)local / global;
        int at = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var dst = buffer.Slice(at, p.Size);
            if (p.Grad is { } g) System.Numerics.Tensors.TensorPrimitives.Multiply(g.Span, scale, dst);
            else dst.Clear();
            buffer[grads + i] = p.Grad is null ? 0f : 1f;
            at += p.Size;
        }
        for (int k = 0; k < values.Count; k++) buffer[grads + parameters.Count + k] = (float)(values[k].Value * local / global);

        _group.AllReduceSum(buffer);

        at = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (buffer[grads + i] > 0f)
            {
                p.Grad ??= Tensor.Zeros(p.Shape);
                buffer.Slice(at, p.Size).CopyTo(p.Grad.Span);
            }
            at += p.Size;
        }
        var reduced = new KeyValuePair<string, double>[values.Count];
        for (int k = 0; k < values.Count; k++) reduced[k] = new(values[k].Key, buffer[grads + parameters.Count + k]);
        return reduced;
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
