using System.Globalization;
using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using Latent.Models.Autoencoder;

namespace Latent.Models.Options;

/// <summary>
/// The builder a family declares its options with, once, as a static field of its options record; the record's property
/// initialisers are the defaults. Each call adds one option (property, key, allowed values, one-line doc), in the order
/// <see cref="OptionSchema.ToText"/> writes them:
/// <code>
/// public static readonly OptionSchema&lt;VqVaeOptions&gt; Schema = new OptionSchema&lt;VqVaeOptions&gt;("vq-vae")
///     .Int(o => o.CodebookSize, "k", "[1, 65536]", "K, the number of codebook vectors", aliases: ["codebook"])
///     .Real(o => o.Beta, "beta", "[0, inf)", "commitment weight β")
///     .Bool(o => o.Ema, "ema", "EMA codebook updates instead of the codebook loss");
/// public override OptionSchema GetSchema() => Schema;
/// </code>
/// Ranges are written "[a, b]", "(a, b)", "[a, b)" with "inf" for no bound; NaN is never allowed and ±∞ only where the
/// range closes on "inf". Shared options are declared once and reused: <see cref="Network"/> adds the encoder/decoder keys
/// (arch, hidden, code, output, network) of a nested <see cref="AutoencoderOptions"/>, <see cref="Include"/> copies
/// options declared on a base record. Checks across options go in <see cref="ModelOptions.CheckCombinations"/>.
/// </summary>
/// <typeparam name="T">The family's options record; <c>new T()</c> gives the defaults.</typeparam>
public sealed class OptionSchema<T> : OptionSchema where T : ModelOptions, new()
{
    private Func<T, IReadOnlySet<string>, T>? _afterParse;

    /// <summary>An empty schema for model <paramref name="model"/> (its CLI name).</summary>
    public OptionSchema(string model) : base(model)
    {
    }

    /// <inheritdoc />
    public override ModelOptions Defaults => new T();

    /// <summary><see cref="OptionSchema.Parse"/> typed as the family's record.</summary>
    public new T Parse(IReadOnlyDictionary<string, string> settings) => (T)base.Parse(settings);

    /// <summary>An integer option in <paramref name="range"/> ("[1, inf)").</summary>
    public OptionSchema<T> Int(Expression<Func<T, int>> property, string key, string range, string doc,
        OptionRole role = OptionRole.None, string[]? aliases = null) =>
        Number(property, key, "int", range, $"must be an integer in {range}", doc, role, aliases);

    /// <summary>A float or double option in <paramref name="range"/> ("(0, 1)"); "a/b" is accepted ("1/16").</summary>
    public OptionSchema<T> Real<TNumber>(Expression<Func<T, TNumber>> property, string key, string range, string doc, string[]? aliases = null)
        where TNumber : IFloatingPointIeee754<TNumber> =>
        Number(property, key, "real", range, $"must be a number in {range}", doc, OptionRole.None, aliases);

    private OptionSchema<T> Number<TNumber>(Expression<Func<T, TNumber>> property, string key, string type, string range, string what, string doc,
        OptionRole role, string[]? aliases) where TNumber : INumber<TNumber>
    {
        var r = NumericRange.Parse(range);
        return Add(property, key, type, range, doc, role, aliases,
            t => type == "real" && Fraction(t) is double q ? TNumber.CreateChecked(q)
                : TNumber.TryParse(t, type == "int" ? NumberStyles.Integer : NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                : throw new FormatException(what),
            v => r.Contains(double.CreateChecked((TNumber)v!)) ? null : what, OptionSpec.Number);
    }

    /// <summary>A flag written and read as "true" or "false" (any case).</summary>
    public OptionSchema<T> Bool(Expression<Func<T, bool>> property, string key, string doc, string[]? aliases = null) =>
        Add(property, key, "bool", "true, false", doc, OptionRole.None, aliases,
            t => bool.TryParse(t, out bool v) ? v : throw new FormatException("must be true or false"),
            _ => null, v => (bool)v! ? "true" : "false", ["true", "false"]);

    /// <summary>One of the enum's names (lower-case, any case on input) or one of <paramref name="synonyms"/> ("bce" for Bernoulli).</summary>
    public OptionSchema<T> Choice<TEnum>(Expression<Func<T, TEnum>> property, string key, string doc, params (string Name, TEnum Value)[] synonyms)
        where TEnum : struct, Enum
    {
        var names = Enum.GetValues<TEnum>().Select(v => v.ToString().ToLowerInvariant()).ToArray();
        string what = $"must be one of {string.Join(", ", names)}";
        OptionRole role = typeof(TEnum) == typeof(OutputDistribution) ? OptionRole.Output : OptionRole.None;
        return Add(property, key, "choice", string.Join(", ", names), doc, role, null,
            t => synonyms.FirstOrDefault(s => string.Equals(s.Name, t, StringComparison.OrdinalIgnoreCase)) is { Name: not null } s ? s.Value
                : Enum.TryParse<TEnum>(t, ignoreCase: true, out var v) && names.Contains(t.ToLowerInvariant()) ? v : throw new FormatException(what),
            v => Enum.IsDefined((TEnum)v!) ? null : what, v => v!.ToString()!.ToLowerInvariant(), names);
    }

    /// <summary>
    /// A name from <paramref name="values"/> or <paramref name="synonyms"/> (any case), kept as written: "mlp", "relu".
    /// </summary>
    public OptionSchema<T> OneOf(Expression<Func<T, string>> property, string key, IReadOnlyList<string> values, string doc,
        IReadOnlyList<string>? synonyms = null, string[]? aliases = null)
    {
        string what = $"must be one of {string.Join(", ", values)}";
        bool Ok(string? t) => t is not null && values.Concat(synonyms ?? []).Contains(t, StringComparer.OrdinalIgnoreCase);
        return Add(property, key, "choice", string.Join(", ", values), doc, OptionRole.None, aliases,
            t => t, v => Ok((string?)v) ? null : what, v => (string?)v ?? "", values);
    }

    /// <summary>
    /// Layer sizes "a-b-c" of at least <paramref name="minCount"/> positive integers, kept as written; <paramref name="none"/>
    /// (e.g. "none") or an empty text mean no sizes when <paramref name="minCount"/> is 0.
    /// </summary>
    public OptionSchema<T> Sizes(Expression<Func<T, string>> property, string key, int minCount, string allowed, string doc,
        string? none = null, OptionRole role = OptionRole.None, string[]? aliases = null) =>
        Add(property, key, "sizes", allowed, doc, role, aliases,
            t => t, v => OptionSpec.ParseSizes((string?)v, minCount, none, out _), v => (string?)v ?? "");

    /// <summary>A value of a family-specific type whose parser and <paramref name="validate"/> throw ArgumentException.</summary>
    public OptionSchema<T> Custom<TValue>(Expression<Func<T, TValue>> property, string key, string type, string allowed, string doc,
        Func<string, TValue> parse, Action<TValue> validate, Func<TValue, string> format)
    {
        return Add(property, key, type, allowed, doc, OptionRole.None, null,
            t => Try(() => parse(t)) switch { (_, string e) => throw new FormatException(e), (var v, _) => v },
            v => v is TValue x ? Try(() => { validate(x); return x; }).Error : $"must be {allowed}", v => format((TValue)v!));

        static (TValue? Value, string? Error) Try(Func<TValue> f)
        {
            try { return (f(), null); }
            catch (ArgumentException e) { return (default, e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)); }
        }
    }

    /// <summary>The encoder/decoder options (arch, hidden, code, output, network) of the nested record at <paramref name="network"/>.</summary>
    public OptionSchema<T> Network(Expression<Func<T, AutoencoderOptions>> network)
    {
        var prefix = PathOf(network);
        foreach (var spec in AutoencoderOptions.Schema.Options) Append(spec.Under(prefix));
        // The network's own combination rules (tied needs an MLP, ...), reported under this family's name.
        var get = network.Compile();
        NestedChecks.Add(o =>
        {
            if (get((T)o).NetworkConflict() is { } conflict) throw Invalid(conflict.Key, Find(conflict.Key)!.Text(o), conflict.What);
        });
        return this;
    }

    /// <summary>The options <paramref name="keys"/> (all when none are named) of <paramref name="other"/>, declared on a base record of <typeparamref name="T"/>.</summary>
    public OptionSchema<T> Include(OptionSchema other, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(other);
        var specs = keys.Length == 0 ? other.Options : keys.Select(k => other.Find(k) ?? throw new ArgumentException($"{other.Model} declares no option '{k}'", nameof(keys)));
        foreach (var spec in specs)
        {
            if (!spec.DeclaringType.IsAssignableFrom(typeof(T)))
                throw new ArgumentException($"{Model}: option '{spec.Key}' is declared on {spec.DeclaringType.Name}, which {typeof(T).Name} does not derive from", nameof(other));
            Append(spec);
        }
        return this;
    }

    /// <summary>
    /// An adjustment applied after parsing, given the keys that were set (canonical keys), e.g. raising a start value
    /// left at its default to a larger target that was given.
    /// </summary>
    public OptionSchema<T> AfterParse(Func<T, IReadOnlySet<string>, T> adjust)
    {
        _afterParse = adjust;
        return this;
    }

    private protected override ModelOptions Adjust(ModelOptions options, IReadOnlySet<string> given) =>
        _afterParse is null ? options : _afterParse((T)options, given);

    private OptionSchema<T> Add<TValue>(Expression<Func<T, TValue>> property, string key, string type, string allowed, string doc, OptionRole role,
        string[]? aliases, Func<string, object?> parse, Func<object?, string?> check, Func<object?, string> format, IReadOnlyList<string>? values = null)
    {
        Append(new OptionSpec(PathOf(property), key, type, allowed, doc, role, aliases ?? [], parse, check, format, values));
        return this;
    }

    private void Append(OptionSpec spec)
    {
        foreach (var k in spec.Aliases.Prepend(spec.Key))
            if (Find(k) is { } clash) throw new ArgumentException($"{Model}: key '{k}' is declared twice ('{clash.Key}')", nameof(spec));
        Specs.Add(spec);
    }

    /// <summary>o => o.A.B → [A, B]: the properties from the record to the option.</summary>
    private static PropertyInfo[] PathOf(LambdaExpression e)
    {
        var path = new List<PropertyInfo>();
        var node = e.Body;
        while (node is MemberExpression { Member: PropertyInfo p } m)
        {
            path.Insert(0, p);
            node = m.Expression;
        }
        if (node is not ParameterExpression || path.Count == 0)
            throw new ArgumentException($"option property '{e}' must be a property path like o => o.Beta", nameof(e));
        return [.. path];
    }

    /// <summary>"a/b" → a/b (as the papers write temperatures, "1/16"); null when the text is not a fraction.</summary>
    private static double? Fraction(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && b != 0
            ? a / b : null;
    }

    /// <summary>"[a, b)" with "inf"/"-inf" for open ends; NaN is in no range, ±∞ only in one that closes on it.</summary>
    private readonly record struct NumericRange(double Min, bool MinOpen, double Max, bool MaxOpen)
    {
        public bool Contains(double v) => (MinOpen ? v > Min : v >= Min) && (MaxOpen ? v < Max : v <= Max);

        public static NumericRange Parse(string text)
        {
            var parts = text.Length > 2 ? text[1..^1].Split(',') : [];
            if (parts.Length != 2 || text[0] is not ('[' or '(') || text[^1] is not (']' or ')')
                || !double.TryParse(parts[0].Trim().Replace("inf", "Infinity", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double min)
                || !double.TryParse(parts[1].Trim().Replace("inf", "Infinity", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double max))
                throw new ArgumentException($"range '{text}' is not like [0, 1) or (0, inf)", nameof(text));
            return new NumericRange(min, text[0] == '(', max, text[^1] == ')');
        }
    }
}
