namespace Latent.Core.Autograd;

/// <summary>
/// The reverse-mode engine: walks the recorded graph from an output in reverse topological order and applies
/// each node's backward rule. <see cref="Grad"/> is PyTorch's <c>torch.autograd.grad</c>.
/// </summary>
public static class Gradients
{
    /// <summary>
    /// d(output)/d(input) for each input (zeros where the output does not depend on it), leaving every
    /// <see cref="Tensor.Grad"/> untouched. With <paramref name="createGraph"/> the result is differentiable.
    /// </summary>
    public static Tensor[] Grad(Tensor output, Tensor[] inputs, Tensor? gradOutput = null, bool createGraph = false)
    {
        foreach (var t in inputs)
            if (!t.RequiresGrad) throw new ArgumentException("Grad: every input must require a gradient", nameof(inputs));
        var wanted = new HashSet<Tensor>(inputs, ReferenceEqualityComparer.Instance);
        var found = Run(output, gradOutput, createGraph, wanted);
        var result = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            result[i] = found.TryGetValue(inputs[i], out var g) ? g : Tensor.ZerosLike(inputs[i]);
        return result;
    }

    /// <summary>
    /// Runs the backward pass. Returns the gradients of the leaves (when <paramref name="wanted"/> is null) or
    /// of the wanted tensors (leaves or not). With <paramref name="leafDone"/> (and no <paramref name="wanted"/>) each
    /// leaf's gradient is handed to it as soon as it is final — when the leaf comes up in reverse topological order,
    /// after every op that reads it — instead of being returned.
    /// </summary>
    internal static Dictionary<Tensor, Tensor> Run(Tensor output, Tensor? gradOutput, bool createGraph, HashSet<Tensor>? wanted,
        Action<Tensor, Tensor>? leafDone = null)
    {
        if (!output.RequiresGrad)
            throw new InvalidOperationException("Backward: the tensor does not require a gradient (no input of its graph has RequiresGrad)");
        if (gradOutput is null)
        {
            if (output.Size != 1)
                throw new InvalidOperationException($"Backward: a gradient is needed for a non-scalar output of shape {Shapes.Format(output.Shape)}");
            gradOutput = Tensor.OnesLike(output);
        }
        else if (!Shapes.Equal(gradOutput.Shape, output.Shape))
        {
            throw new ArgumentException($"Backward: gradient shape {Shapes.Format(gradOutput.Shape)} != output shape {Shapes.Format(output.Shape)}", nameof(gradOutput));
        }

        var order = TopologicalOrder(output);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [output] = gradOutput };
        var result = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);

        using var mode = createGraph ? GradMode.Enable() : GradMode.Disable();
        // Without createGraph nothing the pass creates is recorded, so its dropped buffers can be recycled.
        var pool = createGraph ? null : BufferPool.Begin();
        bool finished = false;
        try
        {
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                if (!grads.Remove(t, out var g)) continue;
                if (leafDone is not null && wanted is null && t.IsLeaf)
                {
                    pool?.Escape(g); // it becomes the leaf's gradient
                    leafDone(t, g);
                    continue;
                }
                if (wanted is null ? t.IsLeaf : wanted.Contains(t)) result[t] = g;
                var node = t.GradFn;
                if (node is null) continue;
                Tensor?[] inputGrads;
                if (pool is null || node.BuiltIn)
                {
                    inputGrads = node.Backward(g);
                }
                else
                {
                    // A user rule may keep g or what it allocates: g escapes, and nothing is rented meanwhile.
                    pool.Escape(g);
                    pool.Renting = false;
                    try { inputGrads = node.Backward(g); }
                    finally { pool.Renting = true; }
                }
                for (int k = 0; k < node.Inputs.Length; k++)
                {
                    var input = node.Inputs[k];
                    var gi = inputGrads[k];
                    if (gi is null || !input.RequiresGrad) continue;
                    if (!Shapes.Equal(gi.Shape, input.Shape))
                        throw new InvalidOperationException($"Backward of {node.Op}: gradient {Shapes.Format(gi.Shape)} for input {k} of shape {Shapes.Format(input.Shape)}");
                    grads[input] = grads.TryGetValue(input, out var acc) ? acc + gi : gi;
                }
            }
            if (pool is not null)
                foreach (var g in result.Values) pool.Escape(g);
            finished = true;
        }
        finally
        {
            pool?.End(recycle: finished);
        }
        return result;
    }

    /// <summary>Tensors reachable from <paramref name="root"/> through recorded ops, inputs before outputs.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        // Iterative post-order DFS: deep graphs (long sequences, many layers) must not overflow the stack.
        var stack = new Stack<(Tensor t, int next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.GradFn?.Inputs;
            if (inputs is not null && next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child)) stack.Push((child, 0));
            }
            else
            {
                order.Add(t);
            }
        }
        return order;
    }
}
