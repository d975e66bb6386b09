using Latent.Core;

namespace Latent.NN;

/// <summary>
/// A block with named parameters, buffers and submodules, registered explicitly by name (nanoGPT style).
/// The dotted names ("encoder.0.weight") are the checkpoint keys.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Module Module)> _modules = [];
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];

    /// <summary>True in training mode (dropout active, batch norm uses batch statistics).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a submodule under <paramref name="name"/> and returns it.</summary>
    protected T Add<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _modules.Add((name, module));
        return module;
    }

    /// <summary>Registers a trainable parameter (sets RequiresGrad) and returns it.</summary>
    protected Tensor AddParameter(string name, Tensor value)
    {
        CheckName(name);
        value.RequiresGrad = true;
        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a non-trainable state tensor (running statistics) saved with the weights.</summary>
    protected Tensor AddBuffer(string name, Tensor value)
    {
        CheckName(name);
        _buffers.Add((name, value));
        return value;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"Module: name '{name}' must be non-empty and contain no '.'", nameof(name));
        if (_modules.Any(m => m.Name == name) || _parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name))
            throw new ArgumentException($"Module: name '{name}' is already registered", nameof(name));
    }

    /// <summary>The direct submodules, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> Children() => _modules;

    /// <summary>All parameters with dotted names, depth first in registration order.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters(string prefix = "")
    {
        foreach (var (n, p) in _parameters) yield return (prefix + n, p);
        foreach (var (n, m) in _modules)
            foreach (var x in m.NamedParameters(prefix + n + ".")) yield return x;
    }

    /// <summary>All buffers with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers(string prefix = "")
    {
        foreach (var (n, b) in _buffers) yield return (prefix + n, b);
        foreach (var (n, m) in _modules)
            foreach (var x in m.NamedBuffers(prefix + n + ".")) yield return x;
    }

    /// <summary>All trainable parameters.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    /// <summary>
    /// Everything a checkpoint holds, in PyTorch's state_dict order: each module's parameters, then its buffers,
    /// then its submodules' entries, depth first.
    /// </summary>
    public IEnumerable<(string Name, Tensor Tensor)> StateDict(string prefix = "")
    {
        foreach (var (n, p) in _parameters) yield return (prefix + n, p);
        foreach (var (n, b) in _buffers) yield return (prefix + n, b);
        foreach (var (n, m) in _modules)
            foreach (var x in m.StateDict(prefix + n + ".")) yield return x;
    }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Size);

    /// <summary>Copies values into this module's parameters and buffers; every key must exist with the same shape.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var mine = StateDict().ToList();
        foreach (var (name, t) in mine)
        {
            if (!state.TryGetValue(name, out var v)) throw new ArgumentException($"LoadStateDict: missing tensor '{name}'", nameof(state));
            if (!Shapes.Equal(v.Shape, t.Shape))
                throw new ArgumentException($"LoadStateDict: '{name}' has shape {Shapes.Format(v.Shape)}, expected {Shapes.Format(t.Shape)}", nameof(state));
        }
        var names = mine.Select(m => m.Name).ToHashSet();
        var extra = state.Keys.FirstOrDefault(k => !names.Contains(k));
        if (extra is not null) throw new ArgumentException($"LoadStateDict: unexpected tensor '{extra}'", nameof(state));
        foreach (var (name, t) in mine) t.CopyFrom(state[name]);
    }

    /// <summary>Sets training mode on this module and all submodules.</summary>
    public void Train(bool on = true)
    {
        Training = on;
        foreach (var (_, m) in _modules) m.Train(on);
    }

    /// <summary>Evaluation mode (same as Train(false)).</summary>
    public void Eval() => Train(false);

    /// <summary>Evaluation mode until the returned scope is disposed, then the mode before: <c>using (model.Evaluating()) { ... }</c>.</summary>
    public ModeScope Evaluating()
    {
        var scope = new ModeScope(this, Training);
        Eval();
        return scope;
    }

    /// <summary>Clears the gradients of all parameters.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = null;
    }
}
