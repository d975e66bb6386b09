namespace Latent.Core.Autograd;

/// <summary>
/// One recorded op: its inputs and its backward rule. The rule maps the gradient of the op's output to the
/// gradients of its inputs (null where an input needs none) and is written with differentiable tensor ops,
/// so a backward pass run with <c>createGraph</c> is itself recorded (higher-order gradients).
/// </summary>
public sealed class Node(string op, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
{
    /// <summary>The op's name, for messages ("matmul", "add").</summary>
    public string Op { get; } = op;

    /// <summary>The op's tensor inputs, in order.</summary>
    public Tensor[] Inputs { get; } = inputs;

    /// <summary>Gradient of the output -> gradients of the inputs.</summary>
    public Func<Tensor, Tensor?[]> Backward { get; } = backward;

    /// <summary>
    /// True for the library's own ops (recorded with <c>RecordOp</c>), whose rules never keep the gradient they are
    /// given nor what they allocate; a backward pass recycles those buffers (<see cref="BufferPool"/>).
    /// </summary>
    internal bool BuiltIn { get; init; }
}
