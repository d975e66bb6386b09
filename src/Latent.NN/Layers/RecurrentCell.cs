using Latent.Core;
using Latent.NN.Init;

namespace Latent.NN.Layers;

/// <summary>
/// The parameters shared by <see cref="LstmCell"/> and <see cref="GruCell"/> (torch.nn.RNNCellBase): G gate blocks,
/// each H wide, stacked as weight_ih [G·H, I], weight_hh [G·H, H], bias_ih [G·H], bias_hh [G·H], registered in
/// that order under PyTorch's state_dict names and all drawn from U(±1/√H) as PyTorch's reset_parameters does.
/// </summary>
public abstract class RecurrentCell : Module
{
    /// <summary>
    /// Registers and initialises the parameters of a cell with <paramref name="gates"/> gate blocks.
    /// <paramref name="name"/> is the cell's name in error messages.
    /// </summary>
    private protected RecurrentCell(string name, int gates, int inputSize, int hiddenSize, Rng rng, bool bias)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inputSize <= 0 || hiddenSize <= 0)
            throw new ArgumentException($"{name}: sizes must be positive, got input {inputSize}, hidden {hiddenSize}");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        float bound = 1f / MathF.Sqrt(hiddenSize);
        WeightIh = AddParameter("weight_ih", Tensor.Zeros(gates * hiddenSize, inputSize));
        WeightHh = AddParameter("weight_hh", Tensor.Zeros(gates * hiddenSize, hiddenSize));
        Initializers.Uniform(WeightIh, bound, rng);
        Initializers.Uniform(WeightHh, bound, rng);
        if (bias)
        {
            BiasIh = AddParameter("bias_ih", Tensor.Zeros(gates * hiddenSize));
            BiasHh = AddParameter("bias_hh", Tensor.Zeros(gates * hiddenSize));
            Initializers.Uniform(BiasIh, bound, rng);
            Initializers.Uniform(BiasHh, bound, rng);
        }
    }

    /// <summary>Input features I.</summary>
    public int InputSize { get; }

    /// <summary>State size H.</summary>
    public int HiddenSize { get; }

    /// <summary>[G·H, I], the gate blocks in the cell's (PyTorch's) order.</summary>
    public Tensor WeightIh { get; }

    /// <summary>[G·H, H].</summary>
    public Tensor WeightHh { get; }

    /// <summary>[G·H], or null.</summary>
    public Tensor? BiasIh { get; }

    /// <summary>[G·H], or null.</summary>
    public Tensor? BiasHh { get; }
}
