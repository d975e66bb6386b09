using Latent.Core;
using Latent.Data.Series;

namespace Latent.Data.Generated;

/// <summary>
/// A seeded univariate series with injected anomalies and per-step ground truth, for benchmarking time-series
/// anomaly detectors. The normal signal is two sines plus Gaussian noise,
/// <para>  x_t = sin φ_t + a₂ sin(2π t / P₂ + ψ) + ε_t,  φ_t = φ_{t−1} + 2π / P₁(t),  ε_t ~ N(0, σ²),</para>
/// with P₁ = 40 steps, P₂ = 9.3 steps, a₂ = 0.3, σ = 0.1 and ψ, φ₀ uniform in [0, 2π). After the first
/// <c>cleanSteps</c> steps (left normal, for training), <c>anomalies</c> events are placed at random non-overlapping
/// positions, in turn:
/// <list type="bullet">
/// <item>spike: 1–3 steps get ±(3 + 3u) added (u uniform in [0, 1));</item>
/// <item>level shift: 20–80 steps get ±(1 + u) added;</item>
/// <item>frequency change: for 40–120 steps the main period P₁(t) is halved or doubled (the phase φ stays continuous).</item>
/// </list>
/// Every step an event touches is labelled with its kind, 1 + the index in <see cref="Kinds"/> (1 spike, 2 level shift,
/// 3 frequency change; any label ≠ 0 is anomalous), the rest 0. Column "value", label column "label".
/// </summary>
public static class AnomalySeries
{
    /// <summary>Period of the main sine, in steps.</summary>
    public const double MainPeriod = 40;

    /// <summary>Period of the second sine, in steps.</summary>
    public const double SecondPeriod = 9.3;

    /// <summary>Amplitude a₂ of the second sine.</summary>
    public const double SecondAmplitude = 0.3;

    /// <summary>Standard deviation σ of the observation noise.</summary>
    public const double Noise = 0.1;

    /// <summary>The kinds of injected events, in the order they are cycled through.</summary>
    public static readonly string[] Kinds = ["spike", "level-shift", "frequency-change"];

    /// <summary>
    /// <paramref name="length"/> steps, the first <paramref name="cleanSteps"/> normal, then <paramref name="anomalies"/>
    /// events cycling through <see cref="Kinds"/>; deterministic from <paramref name="seed"/>.
    /// </summary>
    public static TimeSeries Generate(int length, int cleanSteps, int anomalies, ulong seed)
    {
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), $"AnomalySeries.Generate: length {length} must be at least 2");
        if (cleanSteps < 0 || cleanSteps > length) throw new ArgumentOutOfRangeException(nameof(cleanSteps), $"AnomalySeries.Generate: cleanSteps {cleanSteps} must be in [0, {length}]");
        if (anomalies < 0) throw new ArgumentOutOfRangeException(nameof(anomalies), $"AnomalySeries.Generate: anomalies {anomalies} must be >= 0");
        int room = length - cleanSteps;
        if (anomalies > 0 && room < anomalies * 160)
            throw new ArgumentOutOfRangeException(nameof(anomalies), $"AnomalySeries.Generate: {anomalies} events need at least {anomalies * 160} steps after the clean part, there are {room}");
        var rng = new Rng(seed);
        var events = Place(rng, cleanSteps, length, anomalies);
        var labels = new int[length];
        var offset = new double[length];
        var periodScale = Enumerable.Repeat(1.0, length).ToArray();
        foreach (var (kind, start, duration) in events)
        {
            double sign = rng.NextFloat() < 0.5f ? -1 : 1;
            double u = rng.NextDouble();
            for (int t = start; t < start + duration; t++)
            {
                labels[t] = kind + 1;
                switch (kind)
                {
                    case 0: offset[t] += sign * (3 + 3 * u); break;
                    case 1: offset[t] += sign * (1 + u); break;
                    default: periodScale[t] = sign < 0 ? 0.5 : 2; break;
                }
            }
        }
        double phase = 2 * Math.PI * rng.NextDouble(), psi = 2 * Math.PI * rng.NextDouble();
        var values = new float[length];
        for (int t = 0; t < length; t++)
        {
            if (t > 0) phase += 2 * Math.PI / (MainPeriod * periodScale[t]);
            double x = Math.Sin(phase) + SecondAmplitude * Math.Sin(2 * Math.PI * t / SecondPeriod + psi) + Noise * rng.NextNormal() + offset[t];
            values[t] = (float)x;
        }
        return new TimeSeries("anomaly-series", values, ["value"], labels)
        {
            Description = $"generated: {length} steps, two sines + noise, {anomalies} injected events (spikes, level shifts, frequency changes) after step {cleanSteps} (seed {seed})",
        };
    }

    // Events cycle through the kinds; each goes into a random slot of the part after the clean steps, the slots
    // (one per event) keeping events at least 20 steps apart.
    private static List<(int Kind, int Start, int Duration)> Place(Rng rng, int clean, int length, int count)
    {
        var result = new List<(int, int, int)>();
        if (count == 0) return result;
        int slot = (length - clean) / count;
        for (int i = 0; i < count; i++)
        {
            int kind = i % 3;
            int duration = kind switch { 0 => 1 + rng.NextInt(3), 1 => 20 + rng.NextInt(61), _ => 40 + rng.NextInt(81) };
            int lo = clean + i * slot + 10, hi = clean + (i + 1) * slot - 10 - duration;
            int start = lo + rng.NextInt(Math.Max(1, hi - lo));
            result.Add((kind, start, duration));
        }
        return result;
    }
}
