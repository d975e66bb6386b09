using Latent.NN;

namespace Latent.Models.Flows;

/// <summary>A container that registers flow steps under their index ("0", "1", …), so their checkpoint keys are "flow.k.NAME".</summary>
public sealed class FlowStack : Module
{
    /// <summary>Registers <paramref name="step"/> as child "<paramref name="index"/>" and returns it.</summary>
    public T Append<T>(int index, T step) where T : Module => Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture), step);
}
