using Latent.Core;

namespace Latent.Models;

/// <summary>
/// Maps CLI model names to their factories, papers and defaults; <c>latent models</c> lists <see cref="All"/>.
/// Model families register themselves in the static constructor below (one line each).
/// </summary>
public static class ModelRegistry
{
    private static readonly object Gate = new();
    private static readonly List<ModelInfo> Entries = [];

    static ModelRegistry()
    {
        Register(Autoencoder.Autoencoder.Info);
        Register(Stacked.StackedAutoencoder.Info);
        Register(Denoising.DenoisingAutoencoder.Info);
        Register(Dropout.DropoutAutoencoder.Info);
        Register(Sparse.SparseAutoencoder.Info);
        Register(Sparse.KSparseAutoencoder.Info);
        Register(Contractive.ContractiveAutoencoder.Info);
        Register(Vae.Vae.Info);
        Register(Vae.BetaVae.Info);
        Register(Cvae.Cvae.Info);
        Register(FactorVae.FactorVae.Info);
        Register(VaeGan.VaeGan.Info);
        Register(Adversarial.AdversarialAutoencoder.Info);
        Register(VqVae.VqVae.Info);
        Register(VqVae2.VqVae2.Info);
        Register(Dvae.Dvae.Info);
        Register(TdVae.TdVae.Info);
        Register(Iwae.Iwae.Info);
        Register(Wae.Wae.Info);
        Register(InfoVae.InfoVae.Info);
        Register(BetaTcVae.BetaTcVae.Info);
        Register(VampPrior.VampVae.Info);
        Register(Rae.Rae.Info);
        Register(Flows.PlanarVae.Info);
        Register(Flows.IafVae.Info);
        Register(SuperResolution.SuperResolutionAutoencoder.Info);
        Register(Sequence.LstmAutoencoder.Info);
        Register(Sequence.LstmVae.Info);
    }

    /// <summary>All registered models, in registration order.</summary>
    public static IReadOnlyList<ModelInfo> All
    {
        get { lock (Gate) return Entries.ToArray(); }
    }

    /// <summary>Adds a model; ArgumentException if the name is already taken.</summary>
    public static void Register(ModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (Gate)
        {
            if (Entries.Any(e => string.Equals(e.Name, info.Name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"ModelRegistry: a model named '{info.Name}' is already registered", nameof(info));
            Entries.Add(info);
        }
    }

    /// <summary>The entry for <paramref name="name"/> (case-insensitive); ArgumentException listing the names otherwise.</summary>
    public static ModelInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (Gate)
        {
            return Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"unknown model '{name}' (expected one of {string.Join(", ", Entries.Select(e => e.Name))})", nameof(name));
        }
    }

    /// <summary>Builds model <paramref name="name"/> from "key=value" <paramref name="settings"/> over its defaults.</summary>
    public static AutoencoderModel Create(string name, IReadOnlyDictionary<string, string>? settings, int[] inputShape, Rng rng)
    {
        var info = Get(name);
        var options = info.Schema.Parse(settings ?? new Dictionary<string, string>());
        return info.Create(options, inputShape, rng);
    }
}
