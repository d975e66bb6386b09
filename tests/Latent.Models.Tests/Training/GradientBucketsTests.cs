using Latent.Core;
using Latent.Models.Training;

namespace Latent.Models.Tests.Training;

/// <summary>
/// The bucketed gradient reduction of data-parallel training, against a group whose other member holds the same
/// gradients (every sum is twice the local buffer): reverse-order buckets, reductions started in bucket order whatever
/// order the gradients arrive in, the global-batch gradient and loss terms after <see cref="GradientBuckets.Finish"/>.
/// </summary>
public sealed class GradientBucketsTests
{
    /// <summary>Two members with equal buffers: the sum doubles every value. Records the reductions started.</summary>
    private sealed class MirrorGroup : IProcessGroup
    {
        public readonly List<int> Started = [];

        public int Rank => 0;
        public int Size => 2;
        public void AllReduceSum(Span<float> values) { foreach (ref var v in values) v *= 2; }
        public void AllReduceSum(Span<double> values) { foreach (ref var v in values) v *= 2; }
        public void Broadcast(Span<float> values, int root) { }
        public void Broadcast(Span<double> values, int root) { }

        public IPendingReduction StartAllReduceSum(Memory<float> values)
        {
            Started.Add(values.Length);
            return new Request(this, values);
        }

        private sealed class Request(MirrorGroup group, Memory<float> values) : IPendingReduction
        {
            private bool _done;
            public bool Test() => _done;
            public void Wait()
            {
                if (_done) return;
                group.AllReduceSum(values.Span);
                _done = true;
            }
        }
    }

    private static Tensor Param(int size, float value) => Tensor.FromArray(Enumerable.Repeat(value, size).ToArray()).RequireGrad();

    [Fact]
    public void ParametersArePackedInReverseOrderIntoBucketsOfAboutTheCapacity()
    {
        Tensor[] ps = [Param(100, 0), Param(10, 0), Param(300, 0), Param(5, 0)];
        var b = new GradientBuckets(new MirrorGroup(), ps, values: 1, bucketBytes: 150 * sizeof(float));
        Assert.Equal(2, b.Count);
        Assert.Equal([3, 2], b.Members(0));
        Assert.Equal([1, 0], b.Members(1));
        Assert.Equal(1, new GradientBuckets(new MirrorGroup(), ps, values: 1, bucketBytes: 0).Count);
    }

    [Fact]
    public void TheFirstBucketIsCappedAtOneMebibyteSoThatCommunicationStartsEarly()
    {
        Tensor[] ps = [Param(200_000, 0), Param(200_000, 0), Param(300_000, 0)]; // 0.8, 0.8 and 1.2 MB
        var b = new GradientBuckets(new MirrorGroup(), ps, values: 1, bucketBytes: 25L << 20);
        Assert.Equal(2, b.Count);
        Assert.Equal([2], b.Members(0));
        Assert.Equal([1, 0], b.Members(1));
    }

    [Fact]
    public void BucketsStartInOrderAsSoonAsTheirGradientsAreInAndSumToTheGlobalBatchGradient()
    {
        Tensor[] ps = [Param(100, 0), Param(10, 0), Param(300, 0), Param(5, 0)];
        var group = new MirrorGroup();
        var b = new GradientBuckets(group, ps, values: 2, bucketBytes: 150 * sizeof(float));
        b.Begin([new("total", 3.0), new("kl", 1.0)], local: 16, global: 32, stop: false);
        void Ready(int i, float g) { ps[i].Grad = Tensor.FromArray(Enumerable.Repeat(g, ps[i].Size).ToArray()); b.GradientReady(ps[i]); }

        // Bucket 1 completes first, but may not start before bucket 0: every rank starts the same sums in the same order.
        Ready(1, 1f);
        Ready(0, 2f);
        Assert.Empty(group.Started);
        Ready(3, 4f);
        Assert.Empty(group.Started);
        b.GradientReady(Param(7, 0)); // not a parameter of this phase: ignored
        Ready(2, 8f);
        Assert.Equal(2, group.Started.Count);
        Assert.Equal(305 + 2 + 3, group.Started[0]); // gradients, a flag per parameter, two loss terms and the stop flag
        Assert.Equal(110 + 2, group.Started[1]);

        var (values, stop) = b.Finish([new("total", 3.0), new("kl", 1.0)]);
        // Each member scales by 16/32 and the two sum: the global batch's mean gradient, here the local one.
        float[] expected = [2f, 1f, 8f, 4f];
        for (int i = 0; i < ps.Length; i++) Assert.All(ps[i].Grad!.ToArray(), v => Assert.Equal(expected[i], v));
        Assert.Equal([3.0, 1.0], values.Select(v => v.Value));
        Assert.Equal(["total", "kl"], values.Select(v => v.Key));
        Assert.False(stop);
    }

    [Fact]
    public void FinishStartsWhatIsLeftAndCarriesTheStopFlag()
    {
        Tensor[] ps = [Param(4, 0), Param(4, 0)];
        var group = new MirrorGroup();
        var b = new GradientBuckets(group, ps, values: 1, bucketBytes: 4 * sizeof(float));
        b.Begin([new("total", 1.0)], local: 1, global: 2, stop: true);
        ps[1].Grad = Tensor.FromArray([1f, 2f, 3f, 4f]);
        b.GradientReady(ps[1]);
        Assert.Single(group.Started);
        var (_, stop) = b.Finish([new("total", 1.0)]);
        Assert.Equal(2, group.Started.Count);
        Assert.True(stop);
        Assert.Null(ps[0].Grad); // no member had a gradient for it
        Assert.Equal([1f, 2f, 3f, 4f], ps[1].Grad!.ToArray());
    }
}
