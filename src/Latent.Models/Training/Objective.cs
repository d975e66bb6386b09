using Latent.Core;
using Latent.NN;

namespace Latent.Models.Training;

/// <summary>
/// A training objective made of a loss over some modules (one layer of a stack while it is pretrained, a prior over
/// codes): one phase, "main", over all their parameters with the run's optimizer. The modules are registered under the
/// given names, so their parameters and buffers are the checkpoint's weights.
/// </summary>
public sealed class Objective : Module, ITrainable
{
    private readonly Func<Tensor, TrainingContext, LossTerms> _loss;

    /// <param name="name">The name checkpoints record ("stacked-ae/layer2").</param>
    /// <param name="optionsText">What the objective is, for the record.</param>
    /// <param name="inputShape">Shape of one sample.</param>
    /// <param name="modules">The trained modules by name.</param>
    /// <param name="loss">The terms on a batch x [B, ...inputShape] (the total is minimised).</param>
    public Objective(string name, string optionsText, int[] inputShape, IEnumerable<(string Name, Module Module)> modules, Func<Tensor, TrainingContext, LossTerms> loss)
    {
        Name = name; OptionsText = optionsText; InputShape = inputShape; _loss = loss;
        foreach (var (n, m) in modules) Add(n, m);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string OptionsText { get; }

    /// <inheritdoc />
    public int[] InputShape { get; }

    /// <inheritdoc />
    public LossTerms Loss(Tensor x, TrainingContext ctx) => _loss(x, ctx);

    /// <inheritdoc />
    public IReadOnlyList<TrainingPhase> TrainingPhases() => [new("main", Parameters().ToList(), Loss)];
}
