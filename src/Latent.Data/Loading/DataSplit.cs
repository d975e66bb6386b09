using Latent.Core;

namespace Latent.Data.Loading;

/// <summary>
/// Named parts of a dataset after a seeded random split (see <see cref="DataSplit.Split"/>); each part is a copy
/// and keeps the indices of its samples in the original dataset.
/// </summary>
public sealed class DataSplit
{
    private readonly Dictionary<string, (Dataset Part, int[] Indices)> _parts;
    private readonly List<string> _names;

    private DataSplit(List<string> names, Dictionary<string, (Dataset, int[])> parts)
    {
        _names = names;
        _parts = parts;
    }

    /// <summary>Part names in the order given.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The part called <paramref name="name"/>.</summary>
    public Dataset this[string name] => _parts.TryGetValue(name, out var p)
        ? p.Part
        : throw new KeyNotFoundException($"DataSplit: no part '{name}'; parts are {string.Join(", ", _names)}");

    /// <summary>Indices (into the original dataset) of the samples in part <paramref name="name"/>.</summary>
    public IReadOnlyList<int> Indices(string name) => _parts.TryGetValue(name, out var p)
        ? p.Indices
        : throw new KeyNotFoundException($"DataSplit: no part '{name}'; parts are {string.Join(", ", _names)}");

    /// <summary>
    /// Splits <paramref name="data"/> at random (permutation from <see cref="Rng"/> seeded with <paramref name="seed"/>)
    /// into parts of the given <paramref name="fractions"/> (positive, summing to 1; counts by largest remainder).
    /// Default names: 2 parts → train, test; 3 parts → train, validation, test; else part0, part1, ...
    /// </summary>
    public static DataSplit Split(Dataset data, IReadOnlyList<double> fractions, ulong seed, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Count == 0 || fractions.Any(f => !(f > 0) || !double.IsFinite(f)))
            throw new ArgumentException($"Split: fractions [{string.Join(", ", fractions)}] must be positive", nameof(fractions));
        double sum = fractions.Sum();
        if (Math.Abs(sum - 1) > 1e-6)
            throw new ArgumentException($"Split: fractions [{string.Join(", ", fractions)}] sum to {sum}, expected 1", nameof(fractions));
        names ??= fractions.Count switch
        {
            2 => ["train", "test"],
            3 => ["train", "validation", "test"],
            _ => Enumerable.Range(0, fractions.Count).Select(i => $"part{i}").ToArray(),
        };
        if (names.Count != fractions.Count || names.Distinct().Count() != names.Count)
            throw new ArgumentException($"Split: {names.Count} names [{string.Join(", ", names)}] for {fractions.Count} fractions (names must be distinct)", nameof(names));

        int n = data.Count;
        var counts = new int[fractions.Count];
        var exact = fractions.Select(f => f * n).ToArray();
        for (int i = 0; i < counts.Length; i++) counts[i] = (int)Math.Floor(exact[i]);
        int left = n - counts.Sum();
        foreach (int i in Enumerable.Range(0, counts.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(left)) counts[i]++;

        var perm = new Rng(seed).Permutation(n);
        var parts = new Dictionary<string, (Dataset, int[])>(StringComparer.Ordinal);
        int start = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            var idx = perm.AsSpan(start, counts[i]).ToArray();
            start += counts[i];
            parts[names[i]] = (data.Subset(idx, $"{data.Name}:{names[i]}"), idx);
        }
        return new DataSplit([.. names], parts);
    }

    /// <summary>
    /// The split of scikit-learn's <c>train_test_split(X, y, test_size=testFraction, random_state=seed)</c> (no
    /// stratification, shuffle on), row for row: n_test = ⌈testFraction·n⌉, n_train = n − n_test, a permutation from
    /// <c>numpy.random.RandomState(seed).permutation(n)</c> (<see cref="NumpyRandomState"/>), test = its first n_test
    /// entries, train = the rest, each part in permutation order. Parts "train" and "test". This is the split behind
    /// PyOD's benchmark tables (one <c>RandomState(i)</c> per trial i), so scores computed on it are on the same rows.
    /// </summary>
    public static DataSplit SklearnTrainTestSplit(Dataset data, double testFraction, uint seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentException($"SklearnTrainTestSplit: testFraction {testFraction} must be in (0, 1)", nameof(testFraction));
        int n = data.Count;
        int nTest = (int)Math.Ceiling(testFraction * n);
        int nTrain = n - nTest;
        if (nTest < 1 || nTrain < 1)
            throw new ArgumentException($"SklearnTrainTestSplit: {n} rows with testFraction {testFraction} leave an empty part ({nTrain} train, {nTest} test)", nameof(data));
        var perm = new NumpyRandomState(seed).Permutation(n);
        var test = perm.AsSpan(0, nTest).ToArray();
        var train = perm.AsSpan(nTest, nTrain).ToArray();
        var parts = new Dictionary<string, (Dataset, int[])>(StringComparer.Ordinal)
        {
            ["train"] = (data.Subset(train, $"{data.Name}:train"), train),
            ["test"] = (data.Subset(test, $"{data.Name}:test"), test),
        };
        return new DataSplit(["train", "test"], parts);
    }
}
