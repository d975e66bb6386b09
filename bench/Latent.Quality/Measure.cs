namespace Latent.Quality;

/// <summary>
/// What a RESULT key measures, for bench/results/SECTION.json and the status table of docs/RESULTS.md: its unit, a
/// one-line description, and the target it is judged against. A numeric <see cref="Target"/> with
/// <see cref="HigherIsBetter"/> is met when the value is at least (or at most) the target; with
/// <see cref="Tolerance"/> when |value − target| ≤ tolerance. <see cref="TargetText"/> describes a target that is
/// not one number (e.g. "above β = 1"). <see cref="Headline"/> puts the key in front of the RESULT line.
/// </summary>
internal sealed record Measure(string Unit, string Description, double? Target = null, bool? HigherIsBetter = null,
    double? Tolerance = null, string? TargetText = null, bool Headline = false);
