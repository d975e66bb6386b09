using Latent.Core;

namespace Latent.NN.Optim;

/// <summary>Updates parameters from their gradients. Updates run in place under no-grad.</summary>
public abstract class Optimizer
{
    /// <summary>An optimizer over <paramref name="parameters"/> with learning rate <paramref name="lr"/>.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float lr)
    {
        Params = parameters.ToArray();
        if (Params.Length == 0) throw new ArgumentException("Optimizer: no parameters", nameof(parameters));
        if (!(lr >= 0f)) throw new ArgumentException($"Optimizer: learning rate {lr} must be >= 0", nameof(lr));
        LearningRate = lr;
    }

    /// <summary>The parameters, in order (the order of the saved state).</summary>
    public Tensor[] Params { get; }

    /// <summary>Current learning rate (schedules change it).</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of steps taken.</summary>
    public long StepCount { get; protected set; }

    /// <summary>Applies one update with the current gradients (parameters without a gradient are skipped).</summary>
    public abstract void Step();

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Params) p.Grad = null;
    }
}
