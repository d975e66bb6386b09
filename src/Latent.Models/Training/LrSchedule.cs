using System.Globalization;
using Latent.NN.Optim;
using Latent.NN.Optim.Scheduling;

namespace Latent.Models.Training;

/// <summary>
/// A learning-rate schedule as the trainer drives it: an <see cref="LrScheduler"/> from
/// <see cref="Schedules.Create"/> plus when to step it. Spec syntax: <c>NAME[:key=value,...]</c>, e.g.
/// <c>cosine</c>, <c>cosine:min=1e-5,warmup=1</c>, <c>step:size=10,gamma=0.5</c>, <c>exponential:gamma=0.95</c>,
/// <c>plateau:patience=3,factor=0.5,min=1e-5</c>.
/// <list type="bullet">
/// <item><c>constant</c> and <c>cosine</c> step once per optimizer step (cosine anneals over all planned steps,
/// Loshchilov &amp; Hutter 2017); <c>warmup=E</c> adds a linear warm-up over E epochs (counted in steps).</item>
/// <item><c>step</c> (γ every <c>size</c> epochs, default a third of the run) and <c>exponential</c> (γ per epoch)
/// step once per epoch, as their PyTorch namesakes.</item>
/// <item><c>plateau</c> steps once per epoch on the validation loss (the training loss without validation) and
/// multiplies the rate by <c>factor</c> after more than <c>patience</c> epochs without improvement.</item>
/// </list>
/// </summary>
public sealed class LrSchedule
{
    private LrSchedule(string spec, LrScheduler scheduler, bool perStep)
    {
        Spec = spec; Scheduler = scheduler; PerStep = perStep;
    }

    /// <summary>The spec this schedule was made from.</summary>
    public string Spec { get; }

    /// <summary>The scheduler that sets the optimizer's learning rate.</summary>
    public LrScheduler Scheduler { get; }

    /// <summary>True: step after every optimizer step; false: after every epoch.</summary>
    public bool PerStep { get; }

    /// <summary>
    /// Builds the schedule <paramref name="spec"/> over <paramref name="optimizer"/> (whose current rate is the base
    /// rate) for a run of <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps. ArgumentException
    /// naming <c>Schedule</c> for an unknown name, key or value.
    /// </summary>
    public static LrSchedule Create(string spec, Optimizer optimizer, int stepsPerEpoch, int epochs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(optimizer);
        const string param = nameof(TrainingOptions.Schedule);
        int colon = spec.IndexOf(':');
        string name = (colon < 0 ? spec : spec[..colon]).Trim().ToLowerInvariant();
        var settings = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (colon >= 0)
        {
            foreach (var part in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=');
                if (eq <= 0 || !double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new ArgumentException($"schedule '{spec}': '{part}' is not key=number", param);
                settings[part[..eq].Trim()] = v;
            }
        }
        string[] allowed = name switch
        {
            "constant" or "none" => ["warmup"],
            "cosine" => ["warmup", "min"],
            "step" => ["size", "gamma"],
            "exponential" => ["gamma"],
            "plateau" => ["patience", "factor", "min"],
            _ => throw new ArgumentException($"unknown schedule '{name}' (expected one of {string.Join(", ", Schedules.Names)})", param),
        };
        foreach (var key in settings.Keys)
            if (!allowed.Contains(key.ToLowerInvariant()))
                throw new ArgumentException($"schedule '{name}': unknown setting '{key}' (expected {string.Join(", ", allowed)})", param);
        double Get(string key, double fallback) => settings.TryGetValue(key, out var v) ? v : fallback;

        long steps = (long)stepsPerEpoch * epochs;
        if (steps > int.MaxValue)
            throw new ArgumentException($"schedule '{spec}': {epochs} epochs of {stepsPerEpoch} steps are {steps} steps, more than {int.MaxValue}", param);
        int totalSteps = (int)steps;
        double warmupEpochs = Get("warmup", 0);
        if (warmupEpochs < 0) throw new ArgumentException($"schedule '{name}': warmup {warmupEpochs} must be >= 0", param);
        int warmupSteps = (int)Math.Round(warmupEpochs * stepsPerEpoch);
        try
        {
            return name switch
            {
                "constant" or "none" => new LrSchedule(spec, Schedules.Create("constant", optimizer, totalSteps, warmupSteps), perStep: true),
                "cosine" => new LrSchedule(spec, Schedules.Create("cosine", optimizer, totalSteps, warmupSteps, etaMin: (float)Get("min", 0)), perStep: true),
                "step" => new LrSchedule(spec, Schedules.Create("step", optimizer, gamma: (float)Get("gamma", 0.1),
                    stepSize: (int)Get("size", Math.Max(1, epochs / 3))), perStep: false),
                "exponential" => new LrSchedule(spec, Schedules.Create("exponential", optimizer, gamma: (float)Get("gamma", 0.95)), perStep: false),
                _ => new LrSchedule(spec, Schedules.Create("plateau", optimizer, gamma: (float)Get("factor", 0.5),
                    patience: (int)Get("patience", 3), etaMin: (float)Get("min", 0)), perStep: false),
            };
        }
        catch (ArgumentException e) when (e.ParamName != param)
        {
            throw new ArgumentException($"schedule '{spec}': {e.Message}", param, e);
        }
    }

    /// <summary>Advances after an optimizer step (per-step schedules only).</summary>
    public void AfterStep()
    {
        if (PerStep) Scheduler.Step();
    }

    /// <summary>Advances after an epoch (per-epoch schedules only); <paramref name="loss"/> feeds reduce-on-plateau.</summary>
    public void AfterEpoch(double loss)
    {
        if (PerStep) return;
        Scheduler.Step(Scheduler is ReduceLrOnPlateau ? (float)loss : null); // only reduce-on-plateau reads the metric
    }
}
