namespace Latent.NN.Optim.Scheduling;

/// <summary>
/// Changes an optimizer's learning rate once per <see cref="Step"/> (torch.optim.lr_scheduler). Construction
/// counts as epoch 0 and sets the initial rate, as in PyTorch; call Step after each epoch (or batch).
/// </summary>
public abstract class LrScheduler
{
    /// <summary>A schedule for <paramref name="optimizer"/>, whose current rate becomes <see cref="BaseLr"/>.</summary>
    protected LrScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLr = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate is set.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate at epoch 0.</summary>
    public float BaseLr { get; private set; }

    /// <summary>Number of Step calls so far (PyTorch's last_epoch).</summary>
    public long LastEpoch { get; protected set; }

    /// <summary>The optimizer's current learning rate.</summary>
    public float CurrentLr => Optimizer.LearningRate;

    /// <summary>Advances one epoch. Only <see cref="ReduceLrOnPlateau"/> uses (and requires) <paramref name="metric"/>.</summary>
    public abstract void Step(float? metric = null);

    /// <summary>The schedule's position and counters by name (values may be ±∞, e.g. an unset best metric).</summary>
    public IReadOnlyDictionary<string, double> GetState()
    {
        var state = new Dictionary<string, double> { ["last_epoch"] = LastEpoch, ["base_lr"] = BaseLr };
        foreach (var (k, v) in ExportExtra()) state[k] = v;
        return state;
    }

    /// <summary>Restores a state from <see cref="GetState"/> of the same kind of schedule; every key must be present and no other.</summary>
    public void SetState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string kind = GetType().Name;
        var expected = GetState().Keys.ToHashSet();
        foreach (var key in expected)
            if (!state.ContainsKey(key)) throw new ArgumentException($"{kind}.SetState: missing '{key}'", nameof(state));
        foreach (var key in state.Keys)
            if (!expected.Contains(key)) throw new ArgumentException($"{kind}.SetState: unknown '{key}'", nameof(state));
        double epoch = state["last_epoch"];
        if (epoch < 0 || epoch != Math.Floor(epoch)) throw new ArgumentException($"{kind}.SetState: last_epoch {epoch} is not a count", nameof(state));
        if (!(state["base_lr"] >= 0)) throw new ArgumentException($"{kind}.SetState: base_lr {state["base_lr"]} must be >= 0", nameof(state));
        LastEpoch = (long)epoch;
        BaseLr = (float)state["base_lr"];
        ImportExtra(state);
    }

    /// <summary>Counters beyond last_epoch and base_lr.</summary>
    protected virtual IEnumerable<(string Key, double Value)> ExportExtra() => [];

    /// <summary>Restores the counters of <see cref="ExportExtra"/> (keys already checked) and the learning rate if it follows from them.</summary>
    protected abstract void ImportExtra(IReadOnlyDictionary<string, double> state);
}
