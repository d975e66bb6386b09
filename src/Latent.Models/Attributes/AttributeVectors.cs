using System.Globalization;
using Latent.Core;
using Latent.Data;

namespace Latent.Models.Attributes;

/// <summary>
/// Attribute arithmetic in code space (the "smile vector" of White 2016, the attribute vectors of Larsen et al. 2016):
/// the direction of an attribute is the mean code of the samples that have it minus the mean code of those that do
/// not; adding α·d to an image's code and decoding moves the image along the attribute. Attributes come from labels
/// (<c>class=c</c>: label c against every other label) or from ground-truth factors of generated data (an ordered
/// factor such as <c>scale</c>, <c>x</c>, <c>y</c> or <c>orientation</c>: values above the middle of its range against
/// values below; the categorical <c>shape</c> factor one value against the rest, as <c>shape=v</c>).
/// </summary>
public static class AttributeVectors
{
    /// <summary>Factors whose values are categories, not an order.</summary>
    private static readonly HashSet<string> Categorical = ["shape"];

    /// <summary>
    /// Every attribute of <paramref name="data"/> (its factors if it has them, otherwise its labels) as a direction in the
    /// code space of <paramref name="codes"/> [N, Z] (the codes of <paramref name="data"/>'s samples, in order).
    /// </summary>
    public static IReadOnlyList<AttributeDirection> Directions(Tensor codes, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(data);
        if (codes.Rank != 2 || codes.Shape[0] != data.Count)
            throw new ArgumentException($"AttributeVectors: codes {Shapes.Format(codes.Shape)} are not [{data.Count}, Z] for dataset '{data.Name}'", nameof(codes));
        var result = new List<AttributeDirection>();
        if (data.FactorNames is { } names && data.FactorSizes is { } sizes)
        {
            for (int f = 0; f < names.Length; f++)
            {
                int factor = f;
                if (Categorical.Contains(names[f]))
                {
                    for (int v = 0; v < sizes[f]; v++)
                    {
                        int value = v;
                        Add(result, codes, $"{names[f]}={v}", i => data.Factor(i, factor) == value);
                    }
                }
                else
                {
                    float middle = (sizes[f] - 1) / 2f;
                    Add(result, codes, names[f], i => data.Factor(i, factor) > middle ? true : data.Factor(i, factor) < middle ? false : null);
                }
            }
        }
        else if (data.Labels is { } labels)
        {
            foreach (int c in labels.Distinct().Order())
                Add(result, codes, $"class={c}", i => labels[i] == c);
        }
        else
        {
            throw new ArgumentException($"dataset '{data.Name}' has neither labels nor ground-truth factors to define attributes", nameof(data));
        }
        return result;
    }

    /// <summary>
    /// Codes of <paramref name="z"/> [B, Z] moved by <paramref name="amount"/>·d: [B, Z].
    /// </summary>
    public static Tensor Move(Tensor z, AttributeDirection direction, float amount)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(direction);
        if (z.Rank != 2 || z.Shape[1] != direction.Vector.Length)
            throw new ArgumentException($"AttributeVectors.Move: codes {Shapes.Format(z.Shape)} are not [B, {direction.Vector.Length}]", nameof(z));
        var v = z.ToArray();
        int k = direction.Vector.Length;
        for (int i = 0; i < v.Length; i++) v[i] += amount * direction.Vector[i % k];
        return new Tensor(v, [z.Shape[0], k]);
    }

    /// <summary>The direction called <paramref name="name"/>; ArgumentException listing the known names otherwise.</summary>
    public static AttributeDirection Find(IReadOnlyList<AttributeDirection> directions, string name)
    {
        ArgumentNullException.ThrowIfNull(directions);
        return directions.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"attribute '{name}' is not one of {string.Join(", ", directions.Select(d => d.Name))}", nameof(name));
    }

    /// <summary>Parses <c>NAME:AMOUNT</c> (e.g. <c>scale:+1.5</c>, <c>class=3:2</c>); ArgumentException naming <c>--apply</c> otherwise.</summary>
    public static (string Name, float Amount) ParseApply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !float.TryParse(text.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out float amount) || !float.IsFinite(amount))
            throw new ArgumentException($"--apply '{text}' is not NAME:AMOUNT (e.g. scale:+1.5)", nameof(text));
        return (text[..colon].Trim(), amount);
    }

    private static void Add(List<AttributeDirection> result, Tensor codes, string name, Func<int, bool?> has)
    {
        int n = codes.Shape[0], k = codes.Shape[1];
        var span = codes.Span;
        var with = new double[k];
        var without = new double[k];
        int nWith = 0, nWithout = 0;
        for (int i = 0; i < n; i++)
        {
            bool? h = has(i);
            if (h is null) continue;
            var target = h.Value ? with : without;
            if (h.Value) nWith++; else nWithout++;
            for (int j = 0; j < k; j++) target[j] += span[i * k + j];
        }
        if (nWith == 0 || nWithout == 0) return; // an attribute every sample has (or none has) has no direction
        var d = new float[k];
        for (int j = 0; j < k; j++) d[j] = (float)(with[j] / nWith - without[j] / nWithout);
        result.Add(new AttributeDirection(name, d, nWith, nWithout));
    }
}
