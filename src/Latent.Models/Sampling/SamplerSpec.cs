namespace Latent.Models.Sampling;

/// <summary>
/// How <c>latent sample</c> draws codes: <c>normal</c> (z ~ N(0, I), the prior a VAE was trained with) or
/// <c>gmm:K</c> / <c>gmm:K:diag</c> (a <see cref="GaussianMixture"/> of K components fitted on the training codes).
/// </summary>
/// <param name="Components">K for a mixture; 0 for <c>normal</c>.</param>
/// <param name="Kind">Full or diagonal covariance of the mixture.</param>
public sealed record SamplerSpec(int Components, CovarianceKind Kind)
{
    /// <summary>The accepted syntax, for help texts.</summary>
    public const string Syntax = "normal | gmm:K | gmm:K:diag";

    /// <summary>True for <c>normal</c>.</summary>
    public bool IsNormal => Components == 0;

    /// <summary>The file the fitted mixture is stored in, inside the model folder (e.g. <c>sampler-gmm-10-full.json</c>).</summary>
    public string FileName => IsNormal ? throw new InvalidOperationException("the normal sampler is not stored")
        : $"sampler-gmm-{Components}-{(Kind == CovarianceKind.Full ? "full" : "diag")}.json";

    /// <summary>Parses <see cref="Syntax"/>; ArgumentException naming <c>--sampler</c> otherwise.</summary>
    public static SamplerSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().ToLowerInvariant().Split(':');
        if (parts is ["normal"]) return new SamplerSpec(0, CovarianceKind.Full);
        if (parts.Length is 2 or 3 && parts[0] == "gmm"
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k) && k is >= 1 and <= 1000
            && (parts.Length == 2 || parts[2] is "diag" or "full"))
            return new SamplerSpec(k, parts.Length == 3 && parts[2] == "diag" ? CovarianceKind.Diagonal : CovarianceKind.Full);
        throw new ArgumentException($"--sampler '{text}' is not one of {Syntax} (K from 1 to 1000)", nameof(text));
    }
}
