using Latent.Core;

namespace Latent.Models.Anomaly;

/// <summary>
/// Isolation Forest (Liu, Ting and Zhou 2008, "Isolation Forest", ICDM), with scikit-learn's defaults: 100 trees,
/// each grown on ψ = min(256, n) rows drawn without replacement, to depth ⌈log₂ ψ⌉; a node splits on a feature
/// chosen uniformly among those not constant in the node, at a threshold uniform between that feature's minimum and
/// maximum there. The path length of a row in a tree is the depth of the leaf it reaches plus c(m) for the m training
/// rows left in that leaf, c(m) = 2H(m − 1) − 2(m − 1)/m (the average path length of an unsuccessful search in a
/// binary search tree, H(i) ≈ ln i + 0.5772156649; c(1) = 0, c(2) = 1). The anomaly score is
/// s(x) = 2^(−E[h(x)] / c(ψ)) ∈ (0, 1] (equation 2 of the paper): near 1 for rows isolated in few splits, below 0.5
/// for ordinary rows. scikit-learn's <c>score_samples</c> is −s(x).
/// </summary>
public sealed class IsolationForest
{
    private readonly Node[][] _trees;

    private IsolationForest(Node[][] trees, int features, int samplesPerTree)
    {
        _trees = trees;
        Features = features;
        SamplesPerTree = samplesPerTree;
    }

    /// <summary>Number of features d the forest was grown on.</summary>
    public int Features { get; }

    /// <summary>Rows per tree ψ = min(maxSamples, n).</summary>
    public int SamplesPerTree { get; }

    /// <summary>Number of trees.</summary>
    public int Trees => _trees.Length;

    /// <summary>
    /// Grows a forest on <paramref name="rows"/> ([n·d] row-major, <paramref name="features"/> = d) with trees of
    /// min(<paramref name="maxSamples"/>, n) rows each; the same seed gives the same forest.
    /// </summary>
    public static IsolationForest Fit(ReadOnlySpan<float> rows, int features, int trees = 100, int maxSamples = 256, ulong seed = 0)
    {
        if (features <= 0) throw new ArgumentException($"IsolationForest.Fit: features {features} must be positive", nameof(features));
        if (rows.Length == 0 || rows.Length % features != 0)
            throw new ArgumentException($"IsolationForest.Fit: {rows.Length} values are not a non-empty whole number of rows of {features} features", nameof(rows));
        if (trees <= 0) throw new ArgumentException($"IsolationForest.Fit: trees {trees} must be positive", nameof(trees));
        if (maxSamples <= 0) throw new ArgumentException($"IsolationForest.Fit: maxSamples {maxSamples} must be positive", nameof(maxSamples));
        int n = rows.Length / features;
        for (int i = 0; i < rows.Length; i++)
            if (!float.IsFinite(rows[i]))
                throw new ArgumentException($"IsolationForest.Fit: row {i / features}, feature {i % features} is {rows[i]}: expected finite values", nameof(rows));
        int psi = Math.Min(maxSamples, n);
        int maxDepth = (int)Math.Ceiling(Math.Log2(Math.Max(psi, 2)));
        var rng = new Rng(seed);
        var data = rows.ToArray();
        var forest = new Node[trees][];
        var all = new int[n];
        for (int t = 0; t < trees; t++)
        {
            // Partial Fisher–Yates: the first psi entries are a uniform sample without replacement.
            for (int i = 0; i < n; i++) all[i] = i;
            for (int i = 0; i < psi; i++)
            {
                int j = i + rng.NextInt(n - i);
                (all[i], all[j]) = (all[j], all[i]);
            }
            var sample = all.AsSpan(0, psi).ToArray();
            var nodes = new List<Node>();
            Grow(data, features, sample, 0, psi, 0, maxDepth, rng, nodes);
            forest[t] = [.. nodes];
        }
        return new IsolationForest(forest, features, psi);
    }

    /// <summary>Fits on a [n, d] array.</summary>
    public static IsolationForest Fit(float[,] x, int trees = 100, int maxSamples = 256, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Fit(Flatten(x), x.GetLength(1), trees, maxSamples, seed);
    }

    /// <summary>Anomaly scores s(x) ∈ (0, 1] for the rows of <paramref name="rows"/> ([n·d] row-major); higher = more anomalous.</summary>
    public float[] Score(ReadOnlySpan<float> rows)
    {
        if (rows.Length % Features != 0)
            throw new ArgumentException($"IsolationForest.Score: {rows.Length} values are not a whole number of rows of {Features} features", nameof(rows));
        int n = rows.Length / Features;
        var scores = new float[n];
        double norm = AveragePathLength(SamplesPerTree);
        for (int i = 0; i < n; i++)
        {
            var row = rows.Slice(i * Features, Features);
            double total = 0;
            foreach (var tree in _trees) total += PathLength(tree, row);
            double mean = total / _trees.Length;
            scores[i] = (float)Math.Pow(2, -mean / norm);
        }
        return scores;
    }

    /// <summary>Anomaly scores for a [n, d] array.</summary>
    public float[] Score(float[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.GetLength(1) != Features)
            throw new ArgumentException($"IsolationForest.Score: [{x.GetLength(0)},{x.GetLength(1)}] has {x.GetLength(1)} features, the forest was grown on {Features}", nameof(x));
        return Score(Flatten(x));
    }

    /// <summary>c(m) = 2H(m − 1) − 2(m − 1)/m with H(i) = ln i + γ; c(m ≤ 1) = 0, c(2) = 1.</summary>
    public static double AveragePathLength(int m) =>
        m <= 1 ? 0 : m == 2 ? 1 : 2 * (Math.Log(m - 1) + 0.5772156649015329) - 2.0 * (m - 1) / m;

    private static double PathLength(Node[] tree, ReadOnlySpan<float> row)
    {
        int index = 0, depth = 0;
        while (true)
        {
            var node = tree[index];
            if (node.Feature < 0) return depth + AveragePathLength(node.Size);
            index = row[node.Feature] <= node.Threshold ? node.Left : node.Right;
            depth++;
        }
    }

    /// <summary>Grows the subtree over rows idx[start..end) at <paramref name="depth"/>; returns its node index.</summary>
    private static int Grow(float[] data, int d, int[] idx, int start, int end, int depth, int maxDepth, Rng rng, List<Node> nodes)
    {
        int self = nodes.Count;
        int size = end - start;
        nodes.Add(new Node(-1, 0, 0, 0, size));
        if (size <= 1 || depth >= maxDepth) return self;
        // Features not constant in this node, each with its range; one is drawn uniformly.
        Span<int> candidates = d <= 512 ? stackalloc int[d] : new int[d];
        int count = 0;
        for (int j = 0; j < d; j++)
        {
            float first = data[idx[start] * d + j];
            for (int i = start + 1; i < end; i++)
                if (data[idx[i] * d + j] != first) { candidates[count++] = j; break; }
        }
        if (count == 0) return self;
        int feature = candidates[rng.NextInt(count)];
        float lo = float.MaxValue, hi = float.MinValue;
        for (int i = start; i < end; i++)
        {
            float v = data[idx[i] * d + feature];
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        float threshold = (float)(lo + rng.NextDouble() * ((double)hi - lo));
        if (threshold >= hi) threshold = lo; // keeps both sides non-empty
        // Partition: rows with value <= threshold first.
        int mid = start;
        for (int i = start; i < end; i++)
            if (data[idx[i] * d + feature] <= threshold) { (idx[i], idx[mid]) = (idx[mid], idx[i]); mid++; }
        int left = Grow(data, d, idx, start, mid, depth + 1, maxDepth, rng, nodes);
        int right = Grow(data, d, idx, mid, end, depth + 1, maxDepth, rng, nodes);
        nodes[self] = new Node(feature, threshold, left, right, size);
        return self;
    }

    private static float[] Flatten(float[,] x)
    {
        var flat = new float[x.Length];
        Buffer.BlockCopy(x, 0, flat, 0, x.Length * sizeof(float));
        return flat;
    }

    /// <summary>A split (Feature ≥ 0) or a leaf (Feature −1) holding Size training rows.</summary>
    private readonly record struct Node(int Feature, float Threshold, int Left, int Right, int Size);
}
