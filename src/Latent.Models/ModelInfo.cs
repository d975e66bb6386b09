using Latent.Core;
using Latent.Models.Options;

namespace Latent.Models;

/// <summary>
/// One entry of the <see cref="ModelRegistry"/>: the CLI name, the paper, a one-line description, the default
/// options, a parser for "key=value" settings and the factory.
/// </summary>
/// <param name="Name">The CLI name ("ae").</param>
/// <param name="Citation">The paper, "Authors Year, Title, Venue".</param>
/// <param name="Description">One line for <c>latent models</c>.</param>
/// <param name="Defaults">The paper's default options.</param>
/// <param name="ParseOptions">Reads "key=value" settings over the defaults: the family's <c>Schema.Parse</c>.</param>
/// <param name="Create">Builds a model from options, input sample shape and the initialisation random stream.</param>
public sealed record ModelInfo(
    string Name,
    string Citation,
    string Description,
    ModelOptions Defaults,
    Func<IReadOnlyDictionary<string, string>, ModelOptions> ParseOptions,
    Func<ModelOptions, int[], Rng, AutoencoderModel> Create)
{
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
