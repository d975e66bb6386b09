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
}
