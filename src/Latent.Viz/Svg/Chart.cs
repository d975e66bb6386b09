namespace Latent.Viz.Svg;

/// <summary>What every chart has: a title, axis labels and a size in pixels (defaults given by the chart).</summary>
public abstract class Chart(int width, int height)
{
    /// <summary>Title above the plot (also the SVG &lt;title&gt;).</summary>
    public string? Title { get; set; }

    /// <summary>Label under the x axis (under the categories of a bar chart).</summary>
    public string? XLabel { get; set; }

    /// <summary>Label beside the y axis.</summary>
    public string? YLabel { get; set; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; set; } = width;

    /// <summary>Height in pixels.</summary>
    public int Height { get; set; } = height;

    /// <summary>The frame of the plot with a legend <paramref name="legendWidth"/> pixels wide.</summary>
    private protected ChartFrame Frame(int legendWidth) => new(Width, Height, Title, XLabel, YLabel, legendWidth);
}
