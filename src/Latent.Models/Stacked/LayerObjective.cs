using Latent.Core;
using Latent.Models.Autoencoder;
using Latent.Models.Training;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.Stacked;

/// <summary>
/// One shallow autoencoder of a stack while it is pretrained: h = a(W h_in + b), ĥ_in = W' h + b', minimising
/// L(h_in, ĥ_in) (<see cref="Autoencoder.Autoencoder.ReconstructionLoss"/> with the level's target distribution) on
/// the codes h_in of the layers below, [B, width]. The layers are the stack's own (trained in place).
/// </summary>
internal sealed class LayerObjective : Module, ITrainable
{
    private readonly Linear _encoder, _decoder;
    private readonly Activation _activation;
    private readonly OutputDistribution _target;

    public LayerObjective(string name, Linear encoder, Activation activation, Linear decoder, OutputDistribution target, int width)
    {
        Name = name;
        InputShape = [width];
        _encoder = Add("encoder", encoder);
        _activation = activation;
        _decoder = Add("decoder", decoder);
        _target = target;
    }

    public string Name { get; }

    public string OptionsText => $"target={_target.ToString().ToLowerInvariant()}";

    public int[] InputShape { get; }

    public LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        var loss = Autoencoder.Autoencoder.ReconstructionLoss(_decoder.Forward(_activation.Forward(_encoder.Forward(x))), x, _target);
        return new LossTerms(loss, loss);
    }

    public IReadOnlyList<TrainingPhase> TrainingPhases() => [new("main", Parameters().ToList(), Loss)];
}
