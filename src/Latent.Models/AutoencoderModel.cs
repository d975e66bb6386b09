using Latent.Core;
using Latent.Models.Training;
using Latent.NN;

namespace Latent.Models;

/// <summary>
/// The contract every model in Latent fulfils: an encoder to a code [B, Z], a decoder back to data space and a
/// training objective returned as named <see cref="LossTerms"/>. Trainer, metrics and the CLI use only this.
/// </summary>
public abstract class AutoencoderModel : Module, IAutoencoder, ITrainable
{
    /// <summary>A model for samples of <paramref name="inputShape"/>.</summary>
    protected AutoencoderModel(int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"{GetType().Name}: input shape {Shapes.Format(inputShape)} must be non-empty with positive dimensions", nameof(inputShape));
        InputShape = (int[])inputShape.Clone();
    }

    /// <summary>The registry name ("ae", "vae", ...): the model its <see cref="Options"/> schema is declared for.</summary>
    public virtual string Name => Options.GetSchema().Model;

    /// <summary>Size of the code returned by <see cref="Encode"/>.</summary>
    public abstract int CodeSize { get; }

    /// <summary>The options the model was built from.</summary>
    public abstract ModelOptions Options { get; }

    /// <summary>Shape of one sample, e.g. [1,28,28]; do not modify.</summary>
    public int[] InputShape { get; }

    /// <summary>Elements per sample.</summary>
    public int InputSize => Shapes.Size(InputShape);

    /// <summary>x [B, ...InputShape] → the code used for interpolation, anomaly scores and plots, [B, CodeSize] (for a VAE, the mean).</summary>
    public abstract Tensor Encode(Tensor x);

    /// <summary>z [B, CodeSize] → the decoder's output in data space, [B, ...InputShape] (e.g. sigmoid of the logits).</summary>
    public abstract Tensor Decode(Tensor z);

    /// <summary>x [B, ...InputShape] → reconstruction [B, ...InputShape]; by default Decode(Encode(x)).</summary>
    public virtual Tensor Reconstruct(Tensor x) => Decode(Encode(x));

    /// <summary>The training objective on a batch x [B, ...InputShape]; noise comes from <paramref name="ctx"/>.Rng.</summary>
    public abstract LossTerms Loss(Tensor x, TrainingContext ctx);

    /// <summary>The phases of a training step (<see cref="TrainingPhase"/>): by default "main", <see cref="Loss"/>'s total over every
    /// parameter with the run's optimizer; a model with several optimizers (an adversarial game) returns one per parameter group.</summary>
    public virtual IReadOnlyList<TrainingPhase> TrainingPhases() => [new("main", Parameters().ToList(), Loss)];

    string ITrainable.OptionsText => Options.ToText();
    Module ITrainable.Module => this;

    /// <summary>Throws an ArgumentException naming the op when <paramref name="x"/> is not [B, ...InputShape].</summary>
    protected void CheckInput(Tensor x, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != InputShape.Length + 1 || !Shapes.Equal(x.Shape.AsSpan(1), InputShape))
            throw new ArgumentException($"{Name}.{op}: input {Shapes.Format(x.Shape)} is not [B,{string.Join(",", InputShape)}]", nameof(x));
    }

    /// <summary>The argument checks of <see cref="Loss"/>: <see cref="CheckInput"/> and a non-null <paramref name="ctx"/>.</summary>
    protected void CheckLossArguments(Tensor x, TrainingContext ctx)
    {
        CheckInput(x, nameof(Loss));
        ArgumentNullException.ThrowIfNull(ctx);
    }

    /// <summary>Throws an ArgumentException naming the op when <paramref name="z"/> is not [B, CodeSize].</summary>
    protected void CheckCode(Tensor z, string op)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2 || z.Shape[1] != CodeSize)
            throw new ArgumentException($"{Name}.{op}: code {Shapes.Format(z.Shape)} is not [B,{CodeSize}]", nameof(z));
    }
}
