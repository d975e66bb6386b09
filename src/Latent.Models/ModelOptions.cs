using Latent.Models.Options;

namespace Latent.Models;

/// <summary>
/// Base of every model family's immutable options record (<c>AutoencoderOptions</c>, ...). The property initialisers
/// are the defaults (the paper's); the keys, types, ranges and docs are declared once in the family's
/// <see cref="OptionSchema{T}"/>, which parses, checks and prints them.
/// </summary>
public abstract record ModelOptions
{
    /// <summary>The family's declared options (a static field of the record).</summary>
    public abstract OptionSchema GetSchema();

    /// <summary>The options as "key=value" pairs separated by spaces, readable by the schema's parser.</summary>
    public string ToText() => GetSchema().ToText(this);

    /// <summary>Checks every option against its declaration, then <see cref="CheckCombinations"/>; ArgumentException naming the bad one.</summary>
    public void Validate()
    {
        GetSchema().Check(this);
        CheckCombinations();
    }

    /// <summary>
    /// <paramref name="options"/> after <see cref="Validate"/> (ArgumentNullException when null): for a model constructor
    /// that hands part of its options to its base constructor.
    /// </summary>
    public static T Checked<T>(T options) where T : ModelOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    /// <summary>Checks that involve several options (k ≤ code size, ...); throw <see cref="Invalid"/>.</summary>
    protected virtual void CheckCombinations()
    {
    }

    /// <summary>The one-line error for option <paramref name="key"/> with its current value: "MODEL: option 'KEY' = VALUE: WHAT".</summary>
    protected ArgumentException Invalid(string key, string what)
    {
        var schema = GetSchema();
        return schema.Invalid(key, schema.Find(key)?.Text(this) ?? "", what);
    }
}
