using System.Text;

namespace Latent.Models.Options;

/// <summary>
/// The declared options of one model family (see <see cref="OptionSchema{T}"/> for how a family declares them).
/// Everything that reads or shows options goes through it: <see cref="Parse"/> ("key=value" settings over the defaults,
/// validated), <see cref="ToText"/> (the options text of model.json and <c>latent models</c>), <see cref="Check"/>,
/// <c>latent models --json</c>, the <c>--arch</c>/<c>--code</c> mapping (<see cref="OptionRole"/>) and the option tables
/// of docs/models/*.md (<see cref="MarkdownTable"/>). Every error is one line:
/// <c>vq-vae: option 'codebook' = 0: must be an integer in [1, 65536]</c>, with the C# property as ParamName.
/// </summary>
public abstract class OptionSchema
{
    private protected readonly List<OptionSpec> Specs = [];

    /// <summary>Checks across options of a nested record (<c>OptionSchema&lt;T&gt;.Network</c>), run by <see cref="Check"/> after the options' own.</summary>
    private protected readonly List<Action<ModelOptions>> NestedChecks = [];

    private protected OptionSchema(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        Model = model;
    }

    /// <summary>The family's CLI name ("vq-vae"), the first word of every error.</summary>
    public string Model { get; }

    /// <summary>The options in declaration order (the order of <see cref="ToText"/>).</summary>
    public IReadOnlyList<OptionSpec> Options => Specs;

    /// <summary>A new instance of the family's defaults (the record's property initialisers).</summary>
    public abstract ModelOptions Defaults { get; }

    /// <summary>The option called <paramref name="key"/> (or one of its aliases), or null.</summary>
    public OptionSpec? Find(string key) => Specs.FirstOrDefault(s => s.Matches(key));

    /// <summary>The option with <paramref name="role"/>, or null.</summary>
    public OptionSpec? Find(OptionRole role) => Specs.FirstOrDefault(s => s.Role == role);

    /// <summary>
    /// Options from "key=value" <paramref name="settings"/> (keys or aliases, case-insensitive) over the defaults,
    /// checked with <see cref="ModelOptions.Validate"/>. ArgumentException for an unknown key or a bad value.
    /// </summary>
    public ModelOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        object o = Defaults;
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            var spec = Find(key) ?? throw new ArgumentException(
                $"{Model}: unknown option '{key}' (expected {string.Join(", ", Specs.Select(s => s.Key))})", nameof(settings));
            object? v;
            try { v = spec.Parse(value); }
            catch (FormatException e) { throw Invalid(key, value, e.Message); }
            o = spec.Set(o, v);
            given.Add(spec.Key);
        }
        var options = Adjust((ModelOptions)o, given);
        options.Validate();
        return options;
    }

    /// <summary>Family-specific adjustment after parsing, knowing which keys were given (see <c>OptionSchema&lt;T&gt;.AfterParse</c>).</summary>
    private protected abstract ModelOptions Adjust(ModelOptions options, IReadOnlySet<string> given);

    /// <summary>"key=value" pairs separated by spaces in declaration order, readable by <see cref="Parse"/>.</summary>
    public string ToText(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Join(' ', Specs.Select(s => $"{s.Key}={s.Text(options)}"));
    }

    /// <summary>Checks every declared option's value in <paramref name="options"/> (a record built in code); ArgumentException naming the first bad one.</summary>
    public void Check(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var spec in Specs)
            if (spec.Check(spec.Get(options)) is { } what) throw Invalid(spec.Key, spec.Text(options), what);
        foreach (var check in NestedChecks) check(options);
    }

    /// <summary>The one-line error for option <paramref name="key"/> (declared key or alias) with <paramref name="value"/>: "MODEL: option 'KEY' = VALUE: WHAT".</summary>
    public ArgumentException Invalid(string key, string value, string what) =>
        new($"{Model}: option '{key}' = {(value.Length == 0 ? "''" : value)}: {what}",
            (Find(key) ?? throw new ArgumentException($"{Model}: no option '{key}' is declared", nameof(key))).Property);

    /// <summary>
    /// The markdown table of the options (key and aliases, type, default, allowed, doc) that docs/models/MODEL.md
    /// carries between <c>&lt;!-- options --&gt;</c> and <c>&lt;!-- /options --&gt;</c>; a test compares the two.
    /// </summary>
    public string MarkdownTable()
    {
        var sb = new StringBuilder();
        sb.Append("| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n");
        var defaults = Defaults;
        foreach (var s in Specs)
        {
            string key = string.Join(", ", new[] { s.Key }.Concat(s.Aliases).Select(k => $"`{k}`"));
            string def = s.Text(defaults);
            sb.Append($"| {key} | {s.Type} | {(def.Length == 0 ? "" : $"`{def}`")} | {s.Allowed} | {s.Doc} |\n");
        }
        return sb.ToString();
    }
}
