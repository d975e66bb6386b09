using Latent.Core;

namespace Latent.NN.Optim;

/// <summary>Updates parameters from their gradients. Updates run in place under no-grad.</summary>
public abstract class Optimizer
{
    /// <summary>An optimizer over <paramref name="parameters"/> with learning rate <paramref name="lr"/>.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float lr)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Params = parameters.ToArray();
        if (Params.Length == 0) throw new ArgumentException("Optimizer: no parameters", nameof(parameters));
        if (!(lr >= 0f)) throw new ArgumentException($"Optimizer: learning rate {lr} must be >= 0", nameof(lr));
        LearningRate = lr;
    }

    /// <summary>The parameters, in order (the order of the saved state).</summary>
    public Tensor[] Params { get; }

    /// <summary>Current learning rate (schedules change it).</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of steps taken.</summary>
    public long StepCount { get; protected set; }

    /// <summary>Applies one update with the current gradients (parameters without a gradient are skipped).</summary>
    public abstract void Step();

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Params) p.Grad = null;
    }

    /// <summary>A copy of everything needed to resume: step count, learning rate and buffers.</summary>
    public OptimizerState GetState()
    {
        var buffers = new Dictionary<string, float[]>();
        foreach (var (name, values) in ExportBuffers()) buffers[name] = (float[])values.Clone();
        return new OptimizerState(StepCount, LearningRate, buffers);
    }

    /// <summary>
    /// Restores a state from <see cref="GetState"/> of an optimizer of the same kind over parameters of the same
    /// sizes. Every buffer is checked (known name, right length) before anything is changed.
    /// </summary>
    public void SetState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string kind = GetType().Name;
        if (state.Step < 0) throw new ArgumentException($"{kind}.SetState: step {state.Step} is negative", nameof(state));
        if (!(state.LearningRate >= 0f)) throw new ArgumentException($"{kind}.SetState: learning rate {state.LearningRate} must be >= 0", nameof(state));
        foreach (var (name, values) in state.Buffers)
        {
            int k = BufferParameterIndex(name, kind);
            if (!IsKnownBuffer(name[(name.IndexOf('.') + 1)..]))
                throw new ArgumentException($"{kind}.SetState: unknown buffer '{name}'", nameof(state));
            if (values is null || values.Length != Params[k].Size)
                throw new ArgumentException($"{kind}.SetState: buffer '{name}' has {values?.Length ?? 0} values, parameter {k} of shape {Shapes.Format(Params[k].Shape)} has {Params[k].Size}", nameof(state));
        }
        CheckRequiredBuffers(state.Buffers, kind);
        ImportBuffers(state.Buffers);
        StepCount = state.Step;
        LearningRate = state.LearningRate;
    }

    private int BufferParameterIndex(string name, string kind)
    {
        int dot = name.IndexOf('.');
        if (dot <= 0 || !int.TryParse(name.AsSpan(0, dot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k) || k >= Params.Length)
            throw new ArgumentException($"{kind}.SetState: buffer name '{name}' is not '<parameter index>.<buffer>' for {Params.Length} parameters", nameof(name));
        return k;
    }

    /// <summary>The buffers to save, named "{parameter index}.{buffer}" (not copied; the base class copies).</summary>
    protected abstract IEnumerable<(string Name, float[] Values)> ExportBuffers();

    /// <summary>True for buffer names (the part after the index) this optimizer keeps.</summary>
    protected abstract bool IsKnownBuffer(string bufferName);

    /// <summary>Throws when a buffer the optimizer cannot do without is missing (the default requires all exported names).</summary>
    protected virtual void CheckRequiredBuffers(IReadOnlyDictionary<string, float[]> buffers, string kind)
    {
        foreach (var (name, _) in ExportBuffers())
            if (!buffers.ContainsKey(name)) throw new ArgumentException($"{kind}.SetState: missing buffer '{name}'", nameof(buffers));
    }

    /// <summary>Copies validated buffers into the optimizer.</summary>
    protected abstract void ImportBuffers(IReadOnlyDictionary<string, float[]> buffers);
}
