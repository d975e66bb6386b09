using Latent.Data.Generated;

namespace Latent.Data.Tests.Generated;

public class AnomalySeriesTests
{
    [Fact]
    public void Seeded_with_a_clean_prefix_and_labelled_events()
    {
        var a = AnomalySeries.Generate(2000, 800, 6, seed: 3);
        var b = AnomalySeries.Generate(2000, 800, 6, seed: 3);
        Assert.Equal(a.Values, b.Values);
        Assert.NotEqual(a.Values, AnomalySeries.Generate(2000, 800, 6, seed: 4).Values);
        var labels = a.Labels!;
        Assert.All(labels.Take(800), l => Assert.Equal(0, l));
        // Six events: as many runs of labelled steps, each no longer than the longest event.
        var runs = Runs(labels);
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r => Assert.InRange(r, 1, 120));
        // Labels name the kind: spike (1, at most 3 steps), level shift (2), frequency change (3), in turn.
        Assert.Equal([1, 2, 3, 1, 2, 3], Kinds(labels));
        Assert.True(labels.Count(l => l == 1) <= 6);
    }

    [Fact]
    public void Spikes_and_shifts_move_the_values_the_clean_part_stays_near_the_two_sines()
    {
        var s = AnomalySeries.Generate(2000, 800, 6, seed: 1);
        var v = s.Values;
        Assert.True(v.Take(800).All(x => Math.Abs(x) < 1.3 + 5 * AnomalySeries.Noise));
        // The first event is a spike of at least 3 in magnitude: some labelled step is far outside the clean range.
        int first = Array.FindIndex(s.Labels!, l => l != 0);
        Assert.True(Math.Abs(v[first]) > 1.6, $"spike value {v[first]}");
    }

    [Fact]
    public void Pendulum_is_seeded_labelled_and_periodic_without_faults()
    {
        var p = PendulumSeries.Generate(1200, 1200, 0, seed: 2);
        Assert.Equal(["angle", "velocity"], p.Columns);
        Assert.All(p.Labels!, l => Assert.Equal(0, l));
        // Steady periodic motion: the angle repeats after one drive period 2π/Ω (≈ 39.3 observations).
        double period = 2 * Math.PI / PendulumSeries.DriveFrequency / (PendulumSeries.TimeStep * PendulumSeries.StepsPerObservation);
        int lag = (int)Math.Round(period * 10);
        double diff = 0, scale = 0;
        for (int t = 0; t + lag < p.Length; t++) { diff += Math.Abs(p[t, 0] - p[t + lag, 0]); scale += Math.Abs(p[t, 0]); }
        Assert.True(diff < 0.1 * scale, $"angle differs by {diff / scale:P1} after ten periods");
        var faulty = PendulumSeries.Generate(2000, 800, 3, seed: 2);
        Assert.Equal(3, Runs(faulty.Labels!).Count);
        Assert.Equal([1, 2, 3], Kinds(faulty.Labels!));
        Assert.Equal(faulty.Values, PendulumSeries.Generate(2000, 800, 3, seed: 2).Values);
    }

    [Fact]
    public void Too_many_events_for_the_room_fail_with_one_line()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AnomalySeries.Generate(1000, 900, 2, 1));
        Assert.Contains("2 events need at least 320 steps after the clean part, there are 100", e.Message);
    }

    private static List<int> Kinds(int[] labels) =>
        Enumerable.Range(0, labels.Length).Where(t => labels[t] != 0 && (t == 0 || labels[t - 1] == 0)).Select(t => labels[t]).ToList();

    private static List<int> Runs(int[] labels)
    {
        var runs = new List<int>();
        for (int t = 0; t < labels.Length; t++)
        {
            if (labels[t] == 0 || (t > 0 && labels[t - 1] != 0)) continue;
            int e = t;
            while (e < labels.Length && labels[e] != 0) e++;
            runs.Add(e - t);
        }
        return runs;
    }
}
