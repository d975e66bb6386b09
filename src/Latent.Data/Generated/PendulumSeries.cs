using Latent.Core;
using Latent.Data.Series;

namespace Latent.Data.Generated;

/// <summary>
/// A damped, driven pendulum observed with noise, with injected faults and per-step ground truth: a time series from a
/// documented physical model. The angle θ obeys
/// <para>  θ'' + γ θ' + ω₀² sin θ = A cos(Ω t),</para>
/// with γ = 0.3, ω₀ = 1, A = 0.5, Ω = 0.8 (a periodic, non-chaotic regime), integrated by classical Runge–Kutta (RK4) with
/// step dt = 0.05 from θ = θ' = 0 after a burn-in of 200 time units, and observed every 4 integration steps (Δ = 0.2, about
/// 39 observations per drive period) as two columns, "angle" θ + e and "velocity" θ' + e', e, e' ~ N(0, 0.02²).
/// After the first <c>cleanSteps</c> observations, faults are placed at random non-overlapping positions, in turn:
/// <list type="bullet">
/// <item>friction: γ → 4γ for 40–120 observations;</item>
/// <item>drive loss: A → 0 for 40–120 observations;</item>
/// <item>drive frequency: Ω → 1.4 Ω for 40–120 observations (the drive's phase stays continuous).</item>
/// </list>
/// The observations while a fault is active are labelled with its kind, 1 + the index in <see cref="Kinds"/> (1 friction,
/// 2 drive loss, 3 drive frequency; any label ≠ 0 is anomalous); the transient after a fault ends is not labelled.
/// </summary>
public static class PendulumSeries
{
    /// <summary>Damping γ.</summary>
    public const double Damping = 0.3;

    /// <summary>Natural frequency ω₀.</summary>
    public const double NaturalFrequency = 1;

    /// <summary>Drive amplitude A.</summary>
    public const double DriveAmplitude = 0.5;

    /// <summary>Drive frequency Ω.</summary>
    public const double DriveFrequency = 0.8;

    /// <summary>RK4 step dt.</summary>
    public const double TimeStep = 0.05;

    /// <summary>Integration steps per observation.</summary>
    public const int StepsPerObservation = 4;

    /// <summary>Standard deviation of the observation noise.</summary>
    public const double Noise = 0.02;

    /// <summary>The kinds of injected faults, in the order they are cycled through.</summary>
    public static readonly string[] Kinds = ["friction", "drive-loss", "drive-frequency"];

    /// <summary>
    /// <paramref name="length"/> observations, the first <paramref name="cleanSteps"/> without faults, then <paramref name="faults"/>
    /// faults cycling through <see cref="Kinds"/>; deterministic from <paramref name="seed"/>.
    /// </summary>
    public static TimeSeries Generate(int length, int cleanSteps, int faults, ulong seed)
    {
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), $"PendulumSeries.Generate: length {length} must be at least 2");
        if (cleanSteps < 0 || cleanSteps > length) throw new ArgumentOutOfRangeException(nameof(cleanSteps), $"PendulumSeries.Generate: cleanSteps {cleanSteps} must be in [0, {length}]");
        if (faults < 0) throw new ArgumentOutOfRangeException(nameof(faults), $"PendulumSeries.Generate: faults {faults} must be >= 0");
        int room = length - cleanSteps;
        if (faults > 0 && room < faults * 160)
            throw new ArgumentOutOfRangeException(nameof(faults), $"PendulumSeries.Generate: {faults} faults need at least {faults * 160} steps after the clean part, there are {room}");
        var rng = new Rng(seed);
        var gamma = Enumerable.Repeat(Damping, length).ToArray();
        var drive = Enumerable.Repeat(DriveAmplitude, length).ToArray();
        var omega = Enumerable.Repeat(DriveFrequency, length).ToArray();
        var labels = new int[length];
        if (faults > 0)
        {
            int slot = room / faults;
            for (int i = 0; i < faults; i++)
            {
                int duration = 40 + rng.NextInt(81);
                int lo = cleanSteps + i * slot + 10, hi = cleanSteps + (i + 1) * slot - 10 - duration;
                int start = lo + rng.NextInt(Math.Max(1, hi - lo));
                for (int t = start; t < start + duration; t++)
                {
                    labels[t] = i % 3 + 1;
                    switch (i % 3)
                    {
                        case 0: gamma[t] = 4 * Damping; break;
                        case 1: drive[t] = 0; break;
                        default: omega[t] = 1.4 * DriveFrequency; break;
                    }
                }
            }
        }

        // State (θ, θ'), drive phase φ with φ' = Ω so that a change of Ω keeps the drive continuous.
        double theta = 0, velocity = 0, phase = 0;
        void Step(double g, double a, double w)
        {
            // RK4 on (θ, θ', φ).
            (double, double, double) F(double th, double v, double ph) => (v, -g * v - NaturalFrequency * NaturalFrequency * Math.Sin(th) + a * Math.Cos(ph), w);
            var (k1a, k1b, k1c) = F(theta, velocity, phase);
            var (k2a, k2b, k2c) = F(theta + 0.5 * TimeStep * k1a, velocity + 0.5 * TimeStep * k1b, phase + 0.5 * TimeStep * k1c);
            var (k3a, k3b, k3c) = F(theta + 0.5 * TimeStep * k2a, velocity + 0.5 * TimeStep * k2b, phase + 0.5 * TimeStep * k2c);
            var (k4a, k4b, k4c) = F(theta + TimeStep * k3a, velocity + TimeStep * k3b, phase + TimeStep * k3c);
            theta += TimeStep / 6 * (k1a + 2 * k2a + 2 * k3a + k4a);
            velocity += TimeStep / 6 * (k1b + 2 * k2b + 2 * k3b + k4b);
            phase += TimeStep / 6 * (k1c + 2 * k2c + 2 * k3c + k4c);
        }
        for (int i = 0; i < (int)(200 / TimeStep); i++) Step(Damping, DriveAmplitude, DriveFrequency);
        var values = new float[2 * length];
        for (int t = 0; t < length; t++)
        {
            for (int k = 0; k < StepsPerObservation; k++) Step(gamma[t], drive[t], omega[t]);
            values[2 * t] = (float)(theta + Noise * rng.NextNormal());
            values[2 * t + 1] = (float)(velocity + Noise * rng.NextNormal());
        }
        return new TimeSeries("pendulum", values, ["angle", "velocity"], labels)
        {
            Description = $"generated: damped driven pendulum, {length} observations of (angle, velocity), {faults} faults (friction, drive loss, drive frequency) after step {cleanSteps} (seed {seed})",
        };
    }
}
