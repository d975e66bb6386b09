using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>An elementwise activation as a layer: ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, Softplus, Identity.</summary>
public sealed class Activation : Layer
{
    private readonly Func<Tensor, Tensor> _f;

    private Activation(string name, Func<Tensor, Tensor> f) { Name = name; _f = f; }

    /// <summary>The activation's name as used on the command line ("relu").</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => _f(x);

    public static Activation Relu() => new("relu", x => x.Relu());
    public static Activation Sigmoid() => new("sigmoid", x => x.Sigmoid());
    public static Activation Tanh() => new("tanh", x => x.Tanh());
    public static Activation LeakyRelu(float slope = 0.01f) => new("leaky_relu", x => x.LeakyRelu(slope));
    public static Activation Elu(float alpha = 1f) => new("elu", x => x.Elu(alpha));
    public static Activation Gelu() => new("gelu", x => x.Gelu());
    public static Activation Softplus() => new("softplus", x => x.Softplus());
    public static Activation Identity() => new("identity", x => x);

    /// <summary>The names <see cref="FromName"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["relu", "sigmoid", "tanh", "leaky_relu", "elu", "gelu", "softplus", "identity"];

    /// <summary>An activation by name; ArgumentException listing the valid names otherwise.</summary>
    public static Activation FromName(string name) => name.ToLowerInvariant() switch
    {
        "relu" => Relu(),
        "sigmoid" => Sigmoid(),
        "tanh" => Tanh(),
        "leaky_relu" or "leakyrelu" => LeakyRelu(),
        "elu" => Elu(),
        "gelu" => Gelu(),
        "softplus" => Softplus(),
        "identity" or "none" or "linear" => Identity(),
        _ => throw new ArgumentException($"unknown activation '{name}' (expected one of {string.Join(", ", Names)})", nameof(name)),
    };
}
