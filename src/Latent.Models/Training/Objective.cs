using Latent.Core;
using Latent.NN;

namespace Latent.Models.Training;

/// <summary>
/// A training objective made of a loss over some modules (one layer of a stack while it is pretrained, a prior over
/// codes): one phase, "main", over all their parameters with the run's optimizer.
/// </summary>
public sealed class Objective : Module, ITrainable
{
    private readonly Func<Tensor, TrainingContext, LossTerms> _loss;

    /// <summary>An objective named <paramref name="name"/> ("stacked-ae/layer2") on samples of <paramref name="inputShape"/>
    /// minimising <paramref name="loss"/>'s total; the <paramref name="modules"/> are registered by name (their state is the checkpoint's weights).</summary>
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

    Module ITrainable.Module => this;
    /// <inheritdoc />
    public LossTerms Loss(Tensor x, TrainingContext ctx) => _loss(x, ctx);

    /// <inheritdoc />
    public IReadOnlyList<TrainingPhase> TrainingPhases() => [new("main", Parameters().ToList(), Loss)];
}
