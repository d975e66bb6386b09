namespace Latent.Viz.Svg;

/// <summary>Ten distinguishable categorical colours, used for series and class labels (index modulo 10).</summary>
public static class Palette
{
    private static readonly string[] Colours =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    /// <summary>Number of distinct colours.</summary>
    public const int Count = 10;

    /// <summary>The colour for <paramref name="index"/> ("#rrggbb"); any integer, negatives included, wraps modulo 10.</summary>
    public static string Colour(int index) => Colours[((index % Count) + Count) % Count];
}
