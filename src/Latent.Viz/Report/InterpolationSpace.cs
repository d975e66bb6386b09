namespace Latent.Viz.Report;

/// <summary>Where <c>latent interpolate</c> draws the line between two samples.</summary>
public enum InterpolationSpace
{
    /// <summary>Decode points on the straight line between the two codes (a morph).</summary>
    Latent,

    /// <summary>Blend the two images pixel by pixel, <c>(1 − t)·a + t·b</c> (a cross-fade); the model is not used.</summary>
    Pixel,

    /// <summary>Both rows, latent above pixel, so the morph and the cross-fade can be compared column by column.</summary>
    Both,
}
