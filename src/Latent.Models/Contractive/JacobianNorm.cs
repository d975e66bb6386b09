using Latent.Core;
using Latent.Core.Autograd;
using Latent.Models.Autoencoder;
using Latent.NN;
using Latent.NN.Layers;

namespace Latent.Models.Contractive;

/// <summary>
/// The squared Frobenius norm of an encoder's Jacobian, ‖J_f(x)‖²_F = Σ_j Σ_i (∂h_j/∂x_i)², per sample — the
/// contractive penalty of Rifai et al. 2011 — exactly for any encoder, and in closed form for one sigmoid layer.
/// </summary>
public static class JacobianNorm
{
    /// <summary>
    /// Exact ‖J_f(x_b)‖²_F for every sample, [B], by reverse-mode autodiff: for each code unit j one backward pass with
    /// the one-hot output gradient e_j (every sample at once, since samples do not interact) gives the rows ∂h_bj/∂x_b,
    /// whose squares are summed. Cost: Z backward passes through the encoder per batch (plus, with
    /// <paramref name="createGraph"/>, their graphs, which the training backward pass differentiates again: roughly
    /// Z + 1 times the cost of a plain step). An encoder that mixes samples (batch norm in training mode) makes the
    /// per-sample rows include cross-sample terms; evaluate such encoders in eval mode.
    /// </summary>
    /// <param name="encode">x [B, ...] → h [B, Z].</param>
    /// <param name="x">Inputs [B, ...]; not modified (a detached view that requires a gradient is used).</param>
    /// <param name="createGraph">Keep the result differentiable with respect to the encoder's parameters (for training).</param>
    /// <returns>The codes h [B, Z] (computed from that view, differentiable) and the norms [B].</returns>
    public static (Tensor Code, Tensor PerSample) Exact(Func<Tensor, Tensor> encode, Tensor x, bool createGraph)
    {
        ArgumentNullException.ThrowIfNull(encode);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2) throw new ArgumentException($"JacobianNorm.Exact: input {Shapes.Format(x.Shape)} is not [B,...]", nameof(x));
        var input = x.Detach();
        input.RequiresGrad = true;
        var h = encode(input);
        if (h.Rank != 2 || h.Shape[0] != x.Shape[0])
            throw new ArgumentException($"JacobianNorm.Exact: code {Shapes.Format(h.Shape)} is not [{x.Shape[0]},Z]", nameof(encode));
        int b = h.Shape[0], z = h.Shape[1];
        Tensor? sum = null;
        for (int j = 0; j < z; j++)
        {
            var oneHot = new float[b * z];
            for (int n = 0; n < b; n++) oneHot[n * z + j] = 1f;
            var row = Gradients.Grad(h, [input], Tensor.FromArray(oneHot, b, z), createGraph)[0];
            var sq = row.Square().Reshape(b, -1).Sum(1);
            sum = sum is null ? sq : sum + sq;
        }
        return (h, sum!);
    }

    /// <summary>
    /// Closed form for h = σ(W x + b) (Rifai et al. 2011, Eq. 4 with the sigmoid's derivative h(1 − h)):
    /// ‖J_f(x)‖²_F = Σ_j (h_j (1 − h_j))² Σ_i W_ji². <paramref name="h"/> [B, Z] are the layer's outputs, W [Z, D] its weight. Returns [B].
    /// </summary>
    public static Tensor OneLayerSigmoid(Tensor weight, Tensor h)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(h);
        if (weight.Rank != 2 || h.Rank != 2 || h.Shape[1] != weight.Shape[0])
            throw new ArgumentException($"JacobianNorm.OneLayerSigmoid: codes {Shapes.Format(h.Shape)} and weight {Shapes.Format(weight.Shape)} do not match ([B,Z] and [Z,D])", nameof(h));
        var slope = (h * (1f - h)).Square();                         // [B, Z]
        var rowNorms = weight.Square().Sum(1).Reshape(weight.Shape[0], 1); // [Z, 1]
        return Tensor.MatMul(slope, rowNorms).Reshape(h.Shape[0]);
    }

    /// <summary>
    /// The Linear layer when <paramref name="encoder"/> is exactly [reshape/flatten,] Linear, sigmoid — the case the
    /// closed form covers; null otherwise.
    /// </summary>
    public static Linear? OneLayerSigmoidEncoder(Layer encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (encoder is not Sequential seq) return null;
        var layers = seq.Layers.Where(l => l is not BatchReshape and not Flatten).ToList();
        return layers.Count == 2 && layers[0] is Linear linear && layers[1] is Activation { Name: "sigmoid" } ? linear : null;
    }
}
