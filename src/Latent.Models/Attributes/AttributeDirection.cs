namespace Latent.Models.Attributes;

/// <summary>
/// One attribute as a direction in code space: <c>d = mean(z | with) − mean(z | without)</c>.
/// </summary>
/// <param name="Name">The attribute (<c>scale</c>, <c>x</c>, <c>class=3</c>, ...).</param>
/// <param name="Vector">The direction d [Z].</param>
/// <param name="With">Number of samples that have the attribute.</param>
/// <param name="Without">Number of samples that do not.</param>
public sealed record AttributeDirection(string Name, float[] Vector, int With, int Without)
{
    /// <summary>Euclidean length of <see cref="Vector"/>.</summary>
    public double Length => Math.Sqrt(Vector.Sum(v => (double)v * v));
}
