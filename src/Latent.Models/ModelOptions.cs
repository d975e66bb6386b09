namespace Latent.Models;

/// <summary>
/// Base of every model family's immutable options record (<c>AutoencoderOptions</c>, ...). Defaults are the
/// paper's. <see cref="ToText"/> gives the "key=value" form that <c>latent models</c> prints and that the
/// family's parser reads back.
/// </summary>
public abstract record ModelOptions
{
    /// <summary>The options as "key=value" pairs separated by spaces, readable by the family's parser.</summary>
    public abstract string ToText();
}
