using Latent.Core;

namespace Latent.Models;

/// <summary>
/// The terms of a model's training objective for one batch, by name: never a positional tuple. Every tensor is a
/// scalar (shape [] or [1]); <see cref="Total"/> is the one that is back-propagated.
/// </summary>
public sealed class LossTerms
{
    private readonly List<KeyValuePair<string, Tensor>> _extras = [];

    /// <summary>Terms with the given total, reconstruction and (optional) regularisation parts.</summary>
    /// <param name="total">The objective to minimise (scalar).</param>
    /// <param name="reconstruction">The data term, e.g. BCE or MSE summed per sample and averaged over the batch (scalar).</param>
    /// <param name="regularisation">The weighted penalty or prior term (KL, sparsity, contractive...), or null when the model has none.</param>
    public LossTerms(Tensor total, Tensor reconstruction, Tensor? regularisation = null)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(reconstruction);
        CheckScalar(total, nameof(total));
        CheckScalar(reconstruction, nameof(reconstruction));
        if (regularisation is not null) CheckScalar(regularisation, nameof(regularisation));
        Total = total;
        Reconstruction = reconstruction;
        Regularisation = regularisation;
    }

    /// <summary>The objective that training minimises (scalar).</summary>
    public Tensor Total { get; }

    /// <summary>The reconstruction (data) term (scalar).</summary>
    public Tensor Reconstruction { get; }

    /// <summary>The regularisation term as it enters <see cref="Total"/> (weighted), or null.</summary>
    public Tensor? Regularisation { get; }

    /// <summary>Model-specific extra terms (KL, commitment, codebook...), in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Extras => _extras;

    /// <summary>Adds a named extra term (scalar) and returns this object (fluent).</summary>
    /// <exception cref="ArgumentException">The name is empty, reserved or already used, or the tensor is not a scalar.</exception>
    public LossTerms With(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (string.IsNullOrWhiteSpace(name) || name.Contains(',') || name.Any(char.IsWhiteSpace))
            throw new ArgumentException($"LossTerms: extra term name '{name}' must be non-empty without spaces or commas", nameof(name));
        if (name is TotalName or ReconstructionName or RegularisationName || _extras.Any(e => e.Key == name))
            throw new ArgumentException($"LossTerms: term name '{name}' is reserved or already used", nameof(name));
        CheckScalar(value, nameof(value));
        _extras.Add(new(name, value));
        return this;
    }

    /// <summary>
    /// New terms whose total is this <see cref="Total"/> + <paramref name="value"/>, with the same reconstruction,
    /// regularisation and extras, and <paramref name="value"/> as one more extra called <paramref name="name"/>: a
    /// penalty added on top of a family's objective.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="With"/>.</exception>
    public LossTerms Plus(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckScalar(value, nameof(value));
        var sum = new LossTerms(Total + value, Reconstruction, Regularisation);
        foreach (var (n, t) in _extras) sum.With(n, t);
        return sum.With(name, value);
    }

    /// <summary>Name of <see cref="Total"/> in <see cref="All"/>, metrics and CSV columns.</summary>
    public const string TotalName = "total";

    /// <summary>Name of <see cref="Reconstruction"/> in <see cref="All"/>.</summary>
    public const string ReconstructionName = "reconstruction";

    /// <summary>Name of <see cref="Regularisation"/> in <see cref="All"/>.</summary>
    public const string RegularisationName = "regularisation";

    /// <summary>Every term in a fixed order: total, reconstruction, regularisation (if any), then the extras.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> All()
    {
        yield return new(TotalName, Total);
        yield return new(ReconstructionName, Reconstruction);
        if (Regularisation is not null) yield return new(RegularisationName, Regularisation);
        foreach (var e in _extras) yield return e;
    }

    /// <summary>The terms' values as doubles, in the order of <see cref="All"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Values() =>
        All().Select(kv => new KeyValuePair<string, double>(kv.Key, kv.Value.Item())).ToList();

    private static void CheckScalar(Tensor t, string name)
    {
        if (t.Size != 1)
            throw new ArgumentException($"LossTerms: '{name}' must be a scalar, got shape {Shapes.Format(t.Shape)}", name);
    }
}
