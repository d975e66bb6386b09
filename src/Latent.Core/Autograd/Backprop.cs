using Latent.Core.Autograd;

namespace Latent.Core;

public sealed partial class Tensor
{
    private bool _requiresGrad;

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaves (parameters, inputs you differentiate by);
    /// op outputs get it from their inputs.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!value && GradFn is not null)
                throw new InvalidOperationException("RequiresGrad: cannot turn off on a non-leaf tensor; use Detach()");
            _requiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward"/>, or null.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The op that produced this tensor, when it was recorded.</summary>
    public Node? GradFn { get; private set; }

    /// <summary>True for tensors not produced by a recorded op.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (fluent).</summary>
    public Tensor RequireGrad(bool value = true) { RequiresGrad = value; return this; }

    /// <summary>Turns op recording off until the scope is disposed: <c>using (Tensor.NoGrad()) { ... }</c>.</summary>
    public static GradMode.Scope NoGrad() => GradMode.Disable();

    /// <summary>
    /// Reuses the storage of one training step's graph in the next: <c>using (Tensor.Step()) { loss = ...; loss.Backward(); opt.Step(); }</c>.
    /// When the scope is disposed, the arrays of the tensors recorded in the graph inside it (activations and what
    /// backward rules saved) go back to a per-thread pool that the next step's ops draw from, so a steady-state step
    /// allocates almost nothing and the garbage collector has nothing large to trace or promote. Results are
    /// bit-identical with or without the scope.
    /// </summary>
    /// <remarks>
    /// A recorded tensor created inside the scope, and any <see cref="Reshape(int[])"/> or <see cref="Detach"/> view of
    /// it, must not be read after the scope ends: take what you keep first (<see cref="Item"/>, <see cref="ToArray"/>,
    /// <see cref="Clone"/> under <see cref="NoGrad"/>). Leaf gradients, no-grad results and optimizer state are never
    /// recycled. Scopes are per thread and nest.
    /// </remarks>
    public static StepScope Step() => new(BufferPool.BeginStep());

    /// <summary>
    /// Reuses the storage of every tensor that ops create inside the scope, recorded or not: for inference loops,
    /// <c>using (Tensor.Scratch()) { var z = encoder.Forward(x); z.Span.CopyTo(codes); }</c>. When the scope is disposed
    /// all of it goes back to the per-thread pool that later ops draw from; results are bit-identical.
    /// </summary>
    /// <remarks>
    /// No tensor created inside the scope may be read after it ends (copy out what you keep); do not create parameters
    /// or optimizer state inside it. Leaf gradients stored by <see cref="Backward"/> are never recycled. Scopes are per
    /// thread and nest.
    /// </remarks>
    public static StepScope Scratch() => new(BufferPool.Begin());

    /// <summary>True when an op with these inputs must be recorded (grad mode on and some input requires a gradient).</summary>
    public static bool NeedsGrad(params Tensor[] inputs) => ShouldRecord(inputs);

    /// <summary>True when an op with these inputs must be recorded.</summary>
    internal static bool ShouldRecord(Tensor a) => a._requiresGrad && GradMode.IsEnabled;

    /// <inheritdoc cref="ShouldRecord(Tensor)"/>
    internal static bool ShouldRecord(Tensor a, Tensor b) => (a._requiresGrad || b._requiresGrad) && GradMode.IsEnabled;

    /// <inheritdoc cref="ShouldRecord(Tensor)"/>
    internal static bool ShouldRecord(Tensor[] inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t._requiresGrad) return true;
        return false;
    }

    /// <summary>
    /// Marks this freshly computed tensor as the output of an op with the given inputs and backward rule
    /// (for custom fused ops; call it only when <see cref="NeedsGrad(Tensor[])"/> is true). The rule must use
    /// differentiable tensor ops so that higher-order gradients stay correct.
    /// </summary>
    public Tensor Record(string op, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        GradFn = new Node(op, inputs, backward);
        _requiresGrad = true;
        BufferPool.Recorded(Storage);
        return this;
    }

    /// <summary><see cref="Record"/> for the library's own ops (see <see cref="Node.BuiltIn"/>).</summary>
    internal Tensor RecordOp(string op, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        GradFn = new Node(op, inputs, backward) { BuiltIn = true };
        _requiresGrad = true;
        BufferPool.Recorded(Storage);
        return this;
    }

    /// <summary>
    /// Back-propagates from this tensor: adds d(this)/d(leaf) to <see cref="Grad"/> of every leaf that requires
    /// a gradient. A non-scalar tensor needs <paramref name="gradient"/> (the vector of the vector-Jacobian product).
    /// With <paramref name="createGraph"/> the backward ops are recorded, so the gradients can be differentiated again.
    /// </summary>
    /// <param name="gradient">d(loss)/d(this), shaped like this tensor; null for a scalar (ones).</param>
    /// <param name="createGraph">Record the backward ops (for higher-order gradients).</param>
    /// <param name="gradientReady">
    /// Called once per leaf, during the pass, as soon as that leaf's <see cref="Grad"/> holds its final value for this
    /// pass (every op that reads the leaf has been differentiated) — PyTorch's post-accumulate-grad hook, used to start
    /// reducing gradients while the rest of the pass runs. Leaves are visited in reverse topological order, so the
    /// parameters used last in the forward pass come first. The callback may read the gradient but not change the graph.
    /// </param>
    public void Backward(Tensor? gradient = null, bool createGraph = false, Action<Tensor>? gradientReady = null)
    {
        if (gradientReady is not null)
        {
            Autograd.Gradients.Run(this, gradient, createGraph, wanted: null, (leaf, g) =>
            {
                Accumulate(leaf, g, createGraph);
                gradientReady(leaf);
            });
            return;
        }
        var grads = Autograd.Gradients.Run(this, gradient, createGraph, wanted: null);
        foreach (var (leaf, g) in grads) Accumulate(leaf, g, createGraph);
    }

    private static void Accumulate(Tensor leaf, Tensor g, bool createGraph)
    {
        var add = createGraph ? g : g.Detach();
        leaf.Grad = leaf.Grad is null ? add : WithGradMode(createGraph, () => leaf.Grad + add);
        BufferPool.Keep(leaf.Grad.Storage);
    }

    private static Tensor WithGradMode(bool enabled, Func<Tensor> f)
    {
        using var scope = enabled ? GradMode.Enable() : GradMode.Disable();
        return f();
    }
}
