using Latent.Core;

namespace Latent.NN.Optim;

/// <summary>Creates optimizers by name (for the command line).</summary>
public static class Optimizers
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adam", "adamw", "sgd"];

    /// <summary>
    /// "adam", "adamw" or "sgd" (case-insensitive) over <paramref name="parameters"/>. A null
    /// <paramref name="weightDecay"/> takes the optimizer's PyTorch default (0.01 for AdamW, else 0);
    /// <paramref name="momentum"/> and <paramref name="nesterov"/> apply to SGD only, the betas to Adam/AdamW only.
    /// </summary>
    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, float lr, float? weightDecay = null,
        float momentum = 0f, bool nesterov = false, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "adam" => new Adam(parameters, lr, beta1, beta2, eps, weightDecay ?? 0f),
            "adamw" => new AdamW(parameters, lr, beta1, beta2, eps, weightDecay ?? 0.01f),
            "sgd" => new Sgd(parameters, lr, momentum, 0f, weightDecay ?? 0f, nesterov),
            _ => throw new ArgumentException($"unknown optimizer '{name}' (expected one of {string.Join(", ", Names)})", nameof(name)),
        };
    }
}
