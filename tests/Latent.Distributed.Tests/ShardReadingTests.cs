using Latent.Core;
using Latent.Data;
using Latent.Data.Arrays;
using Latent.Data.Rows;
using Latent.Models;
using Latent.Models.Runs;
using Latent.Models.Training;

namespace Latent.Distributed.Tests;

/// <summary>
/// Data-parallel training over a file read on demand: each rank reads exactly the rows of its shards of every global
/// batch (recorded at the file, not timed), the validation rows once, nothing else; and training on the rows read on
/// demand is bit for bit training on the loaded file. No MPI needed: the trainer runs as one rank of a group whose
/// other members hold the same buffers, and which rows a rank reads depends only on the seed, the batch and its rank.
/// </summary>
public sealed class ShardReadingTests : IDisposable
{
    private const int Rows = 100, Width = 16, Batch = 32, Epochs = 2;
    private const ulong Seed = 7;
    private readonly string _dir = Directory.CreateTempSubdirectory("latent-shards-").FullName;
    private readonly string _npy;

    public ShardReadingTests()
    {
        _npy = Path.Combine(_dir, "x.npy");
        NpyFile.Write(_npy, NpyFile.Patterns(Rows, Width, seed: 3), Rows);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Records the rows of every read, in order.</summary>
    private sealed class Recorder(IRowSource inner) : IRowSource
    {
        public List<int[]> Reads { get; } = [];
        public string Name => inner.Name;
        public int Count => inner.Count;
        public int[] SampleShape => inner.SampleShape;

        public void Read(ReadOnlySpan<int> rows, Span<float> destination)
        {
            lock (Reads) Reads.Add(rows.ToArray());
            inner.Read(rows, destination);
        }
    }

    /// <summary>Member <paramref name="rank"/> of <paramref name="size"/> whose other members hold the same buffers: a sum is size × the local values.</summary>
    private sealed class ReplicaGroup(int rank, int size) : IProcessGroup
    {
        public int Rank => rank;
        public int Size => size;
        public void AllReduceSum(Span<float> values) { foreach (ref var v in values) v *= size; }
        public void AllReduceSum(Span<double> values) { foreach (ref var v in values) v *= size; }
        public void Broadcast(Span<float> values, int root) { }
        public void Broadcast(Span<double> values, int root) { }
    }

    private static AutoencoderModel Model() =>
        ModelRegistry.Create("ae", ModelSettings.Build(ModelRegistry.Get("ae"), [Width], $"{Width}-8-2", null, null), [Width], new Rng(1));

    private static TrainingOptions Options(IProcessGroup? group, double validation = 0) =>
        new() { Epochs = Epochs, BatchSize = Batch, Seed = Seed, ValidationFraction = validation, CheckpointEvery = 0, ProcessGroup = group };

    /// <summary>The rows of rank <paramref name="rank"/>'s shard of every step, as the trainer orders them: a fresh seeded permutation per epoch.</summary>
    private static List<int[]> Shards(int rank, int size, int[] rowsOfSample)
    {
        int n = rowsOfSample.Length;
        var rng = new Rng(Seed);
        _ = rng.Fork(); // the trainer forks the model's stream off the shuffling stream first
        var shards = new List<int[]>();
        for (int e = 0; e < Epochs; e++)
        {
            var perm = rng.Permutation(n);
            for (int start = 0; start < n; start += Batch)
            {
                int count = Math.Min(Batch, n - start), lo = rank * count / size, hi = (rank + 1) * count / size;
                shards.Add(perm[(start + lo)..(start + hi)].Select(i => rowsOfSample[i]).ToArray());
            }
        }
        return shards;
    }

    [Fact]
    public void EachRankReadsExactlyTheRowsOfItsShardsOfEveryBatch()
    {
        var all = Enumerable.Range(0, Rows).ToArray();
        var seen = new List<int>();
        for (int rank = 0; rank < 2; rank++)
        {
            using var file = FileRows.TryOpen(_npy)!;
            var recorder = new Recorder(file);
            Trainer.Fit(Model(), new Dataset("x", recorder), null, Options(new ReplicaGroup(rank, 2)));
            var expected = Shards(rank, 2, all);
            Assert.Equal(expected.Count, recorder.Reads.Count);
            for (int k = 0; k < expected.Count; k++) Assert.Equal(expected[k], recorder.Reads[k]);
            seen.AddRange(recorder.Reads.SelectMany(r => r));
        }
        // Together the two ranks read every row once per epoch.
        Assert.Equal(Enumerable.Repeat(all, Epochs).SelectMany(r => r).Order(), seen.Order());
    }

    [Fact]
    public void WithAValidationSplitTheValidationRowsAreReadOnceAndTheTrainingRowsOnlyInShards()
    {
        using var file = FileRows.TryOpen(_npy)!;
        var recorder = new Recorder(file);
        Trainer.Fit(Model(), new Dataset("x", recorder), null, Options(new ReplicaGroup(1, 2), validation: 0.2));

        int nValid = Trainer.ValidationCount(Rows, 0.2);
        var validRows = recorder.Reads[0];
        Assert.Equal(nValid, validRows.Length);
        // The trainer's split: the first nValid of a permutation seeded from the seed are held out, the rest train in that order.
        var split = new Rng(Seed ^ 0x5EED_5A1D_0000_0001UL).Permutation(Rows);
        Assert.Equal(split[..nValid], validRows);
        var expected = Shards(1, 2, split[nValid..]);
        Assert.Equal(expected.Count + 1, recorder.Reads.Count);
        for (int k = 0; k < expected.Count; k++) Assert.Equal(expected[k], recorder.Reads[k + 1]);
    }

    [Fact]
    public void TrainingOnRowsReadOnDemandIsBitIdenticalToTrainingOnTheLoadedFile()
    {
        var loaded = DataSource.Load(new DataRequest { Source = _npy });
        var onDemand = DataSource.Load(new DataRequest { Source = _npy, OnDemand = true });
        Assert.False(loaded.Train.OnDemand);
        Assert.True(onDemand.Train.OnDemand);
        Assert.False(onDemand.Test.OnDemand); // the test split is loaded
        Assert.Equal(loaded.Test.X, onDemand.Test.X);
        Assert.Equal(loaded.Train.X.Length, onDemand.Train.Batch(Enumerable.Range(0, onDemand.Train.Count).ToArray()).Size);
        Assert.Equal(loaded.Description.Description, onDemand.Description.Description);

        var a = Model();
        var b = Model();
        var ra = Trainer.Fit(a, loaded.Train, null, Options(null, validation: 0.1));
        var rb = Trainer.Fit(b, onDemand.Train, null, Options(null, validation: 0.1));
        Assert.True(onDemand.Train.OnDemand); // training did not load it
        Assert.Equal(ra.History.Select(h => h.TrainValue("total")), rb.History.Select(h => h.TrainValue("total")));
        Assert.Equal(ra.History.Select(h => h.ValidationValue("total")), rb.History.Select(h => h.ValidationValue("total")));
        var wa = a.StateDict().ToList();
        var wb = b.StateDict().ToList();
        for (int i = 0; i < wa.Count; i++) Assert.Equal(wa[i].Tensor.ToArray(), wb[i].Tensor.ToArray());
    }
}
