using Latent.Core;

namespace Latent.NN.Optim;

/// <summary>Gradient clipping (Pascanu et al. 2013), as torch.nn.utils.clip_grad_norm_.</summary>
public static class GradClip
{
    /// <summary>
    /// Scales all gradients in place by min(1, maxNorm / (‖g‖ + 1e-6)), where ‖g‖ is the 2-norm of all the
    /// parameters' gradients together, and returns ‖g‖ (before clipping). Parameters without a gradient are
    /// skipped; with none, 0 is returned.
    /// </summary>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0f)) throw new ArgumentException($"ClipGradNorm: maxNorm {maxNorm} must be >= 0", nameof(maxNorm));
        var owners = parameters.Where(p => p.Grad is not null).ToList();
        if (owners.Count == 0) return 0f;
        double sumSquares = 0;
        foreach (var p in owners)
        {
            // Per-tensor norms first, then the norm of the norms: PyTorch's order of reduction.
            float n = System.Numerics.Tensors.TensorPrimitives.Norm(p.Grad!.Span);
            sumSquares += (double)n * n;
        }
        float total = (float)Math.Sqrt(sumSquares);
        float coef = maxNorm / (total + 1e-6f);
        if (coef < 1f)
        {
            // New gradient tensors rather than in-place scaling: two parameters' gradients may share storage
            // (the backward of an add hands the same tensor to both inputs).
            using (Tensor.NoGrad())
                foreach (var p in owners) p.Grad = p.Grad!.Detach() * coef;
        }
        return total;
    }
}
