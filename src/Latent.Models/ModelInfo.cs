using Latent.Core;
using Latent.Models.Options;

namespace Latent.Models;

/// <summary>
/// One entry of the <see cref="ModelRegistry"/>: the CLI name, the paper, a one-line description, the default
/// options and the factory. Settings are parsed by the defaults' schema (<see cref="Schema"/>).
/// </summary>
/// <param name="Name">The CLI name ("ae").</param>
/// <param name="Citation">The paper, "Authors Year, Title, Venue".</param>
/// <param name="Description">One line for <c>latent models</c>.</param>
/// <param name="Defaults">The paper's default options.</param>
/// <param name="Create">Builds a model from options, input sample shape and the initialisation random stream.</param>
public sealed record ModelInfo(
    string Name,
    string Citation,
    string Description,
    ModelOptions Defaults,
    Func<ModelOptions, int[], Rng, AutoencoderModel> Create)
{
    /// <summary>
    /// The entry of a family whose options record is <typeparamref name="TOptions"/> (defaults <c>new TOptions()</c>);
    /// <paramref name="create"/> receives the options typed, other options types are refused naming the model.
    /// </summary>
    public static ModelInfo Of<TOptions>(string name, string citation, string description, Func<TOptions, int[], Rng, AutoencoderModel> create)
        where TOptions : ModelOptions, new()
    {
        ArgumentNullException.ThrowIfNull(create);
        return new(name, citation, description, new TOptions(), (options, shape, rng) => create(
            options as TOptions ?? throw new ArgumentException($"{name}: expected {typeof(TOptions).Name}, got {options.GetType().Name}", nameof(options)),
            shape, rng));
    }

    /// <summary>The built-in data the model trains on when none is given: "sprites" (images) or "moving-sprites" (sequences).</summary>
    public string DefaultData { get; init; } = "sprites";

    /// <summary>
    /// Settings assumed for a saved model whose options text does not name these keys: the behaviour the model had
    /// before the option existed (a newer default would rebuild a different network and the weights would not fit).
    /// </summary>
    public IReadOnlyDictionary<string, string> LegacyOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>The family's declared options (keys, types, defaults, ranges, docs).</summary>
    public OptionSchema Schema => Defaults.GetSchema();

    /// <summary>The default options as text ("arch=784-1000-500-250-30 hidden=relu ...").</summary>
    public string DefaultOptionsText => Defaults.ToText();
}
