using Latent.Core.Kernels;

namespace Latent.Core.Tests.Kernels;

/// <summary>Thread-count invariance and the worker pool; in a collection that runs alone (it changes MaxDegree).</summary>
[Collection(nameof(GemmThreadingCollection))]
public class GemmThreadingTests
{
    [Theory]
    [InlineData(false, false, 64, 490, 512)]   // a convolution's weights against one chunk: two k blocks, an 8-row edge strip
    [InlineData(true, false, 512, 490, 64)]    // the transposed weights: four row blocks of at most 168
    [InlineData(false, true, 300, 50, 600)]    // m > n: still split by columns only
    [InlineData(true, true, 1, 7, 3)]
    public void ProductWithAPackedOnceHasTheBitsOfTheUsualProductForAnyThreadCount(bool transA, bool transB, int m, int n, int k)
    {
        var rng = new Random(m * 7 + n + k);
        int lda = transA ? m : k, ldb = transB ? k : n;
        var a = GemmTests.Random(rng, m * k);
        var b = GemmTests.Random(rng, k * n);
        var c0 = GemmTests.Random(rng, m * n);
        var expected = (float[])c0.Clone();
        Gemm.Sgemm(transA, transB, m, n, k, 0.75f, a, lda, b, ldb, -1.5f, expected, n);
        var packed = new float[Gemm.PackedASize(m, k)];
        Gemm.PackA(transA, m, k, a, lda, packed);
        int saved = Parallelism.MaxDegree;
        try
        {
            foreach (int threads in (int[])[1, 2, 3])
            {
                Parallelism.MaxDegree = threads;
                var c = (float[])c0.Clone();
                Gemm.SgemmPackedA(packed, m, n, k, 0.75f, transB, b, ldb, -1.5f, c, n);
                for (int i = 0; i < c.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(c[i]),
                        $"{threads} threads: C[{i / n},{i % n}] = {c[i]:R}, Sgemm {expected[i]:R}");
            }
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
        Assert.Throws<ArgumentException>(() => Gemm.SgemmPackedA(packed.AsSpan(1), m, n, k, 1f, transB, b, ldb, 0f, new float[m * n], n));
    }

    [Theory]
    [InlineData(false, false, 300, 280, 600)]  // m > n: splits the rows
    [InlineData(true, true, 280, 300, 600)]    // m <= n: splits the columns
    [InlineData(false, true, 517, 40, 300)]
    [InlineData(true, false, 61, 700, 257)]
    [InlineData(false, false, 70, 2100, 300)]  // more than one 1024-column panel per thread
    public void ResultsAreBitIdenticalForAnyThreadCount(bool transA, bool transB, int m, int n, int k)
    {
        var rng = new Random(m + n + k);
        int lda = transA ? m : k, ldb = transB ? k : n;
        var a = GemmTests.Random(rng, m * k);
        var b = GemmTests.Random(rng, k * n);
        var c0 = GemmTests.Random(rng, m * n);
        int saved = Parallelism.MaxDegree;
        try
        {
            float[]? reference = null;
            foreach (int threads in (int[])[1, 2, 3])
            {
                Parallelism.MaxDegree = threads;
                var c = (float[])c0.Clone();
                Gemm.Sgemm(transA, transB, m, n, k, -0.5f, a, lda, b, ldb, 2f, c, n);
                // One part per thread, or up to four when each thread packs the shared operand whole.
                Assert.InRange(Gemm.t_lastParts, threads, 4 * threads);
                if (reference is null) reference = c;
                else
                    for (int i = 0; i < c.Length; i++)
                        Assert.True(BitConverter.SingleToInt32Bits(reference[i]) == BitConverter.SingleToInt32Bits(c[i]),
                            $"{threads} threads: C[{i / n},{i % n}] = {c[i]:R}, 1 thread {reference[i]:R}");
            }
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }

    [Theory]
    [InlineData(517, 40)] // rows split: about one part per row block, each thread packing B once
    [InlineData(40, 517)] // columns split: four parts per thread, each thread packing A once
    public void SmallSharedOperandsAreSplitFinerWithTheSameBits(int m, int n)
    {
        const int k = 300;
        var rng = new Random(5);
        var a = GemmTests.Random(rng, m * k);
        var b = GemmTests.Random(rng, n * k);
        var reference = new float[m * n];
        var c = new float[m * n];
        int saved = Parallelism.MaxDegree;
        try
        {
            for (int rep = 0; rep < 3; rep++)
            {
                // A new A and B each time: a thread must not reuse its packed copy of an earlier product's operand.
                a[rep] += 1f;
                b[rep] += 1f;
                Parallelism.MaxDegree = 1;
                Gemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, reference, n);
                Parallelism.MaxDegree = 2;
                Array.Clear(c);
                Gemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, c, n);
                Assert.True(Gemm.t_lastParts > 2, $"{Gemm.t_lastParts} parts");
                Assert.Equal(FusedKernelTests.Bits(reference), FusedKernelTests.Bits(c));
            }
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }

    [Fact]
    public void ParallelResultsMatchTheScalarTwin()
    {
        int saved = Parallelism.MaxDegree;
        try
        {
            Parallelism.MaxDegree = 2;
            GemmTests.Check(false, false, 300, 301, 299, alpha: 2f, beta: -0.5f);
            GemmTests.Check(true, true, 301, 77, 530, beta: 1f);
            Assert.InRange(Gemm.t_lastParts, 2, 8);
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }

    [Fact]
    public void ConcurrentCallersGetTheSameResults()
    {
        // Callers that find the worker pool busy run their parts themselves; every result must still be exact.
        const int m = 150, n = 130, k = 270;
        var rng = new Random(3);
        var a = GemmTests.Random(rng, m * k);
        var b = GemmTests.Random(rng, k * n);
        var reference = new float[m * n];
        Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, reference, n);
        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            var c = new float[m * n];
            for (int rep = 0; rep < 20; rep++) Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            results[t] = c;
        });
        foreach (var c in results) Assert.Equal(reference, c);
    }

    [Fact]
    public void SteadyStateCallsDoNotAllocate()
    {
        int saved = Parallelism.MaxDegree;
        try
        {
            foreach (int threads in (int[])[1, 2])
            {
                Parallelism.MaxDegree = threads;
                var a = new float[200 * 300]; var b = new float[300 * 250]; var c = new float[200 * 250];
                for (int i = 0; i < 10; i++) Gemm.Sgemm(false, true, 200, 250, 300, 1f, a, 300, b, 300, 0f, c, 250);
                long before = GC.GetAllocatedBytesForCurrentThread();
                Gemm.Sgemm(false, true, 200, 250, 300, 1f, a, 300, b, 300, 0f, c, 250);
                long after = GC.GetAllocatedBytesForCurrentThread();
                Assert.InRange(Gemm.t_lastParts, threads, 4 * threads);
                Assert.Equal(0, after - before);
            }
        }
        finally
        {
            Parallelism.MaxDegree = saved;
        }
    }

    [Fact]
    public void MaxDegreeRejectsLessThanOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>("value", () => Parallelism.MaxDegree = 0);
        Assert.True(Parallelism.MaxDegree >= 1);
    }
}
