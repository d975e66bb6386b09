using Latent.Core;

namespace Latent.NN;

public static partial class F
{
    /// <summary>
    /// torch.nn.functional.batch_norm over axis 1 of x [N, C, ...]. With <paramref name="training"/> the batch
    /// mean and biased variance normalise x, and (when given) the running statistics are updated in place:
    /// r ← (1 − momentum)·r + momentum·stat, with the unbiased variance for running_var. Otherwise the running
    /// statistics normalise x. weight/bias [C] are optional. Built from differentiable primitives.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, float momentum = 0.1f, float eps = 1e-5f)
    {
        if (x.Rank < 2)
            throw new ArgumentException($"BatchNorm: input {Shapes.Format(x.Shape)} needs rank >= 2 ([N,C,...])", nameof(x));
        int c = x.Shape[1];
        CheckChannelVector(runningMean, c, "running_mean", x);
        CheckChannelVector(runningVar, c, "running_var", x);
        CheckChannelVector(weight, c, "weight", x);
        CheckChannelVector(bias, c, "bias", x);
        if ((runningMean is null) != (runningVar is null))
            throw new ArgumentException("BatchNorm: running_mean and running_var must be given together");

        var axes = new int[x.Rank - 1];
        axes[0] = 0;
        for (int i = 2; i < x.Rank; i++) axes[i - 1] = i;
        var channelShape = new int[x.Rank];
        Array.Fill(channelShape, 1);
        channelShape[1] = c;

        Tensor normalised;
        if (training)
        {
            int n = x.Size / Math.Max(c, 1);
            if (n <= 1)
                throw new ArgumentException($"BatchNorm: expected more than 1 value per channel when training, got input {Shapes.Format(x.Shape)}", nameof(x));
            var mean = x.Mean(axes, keepDim: true);
            var centred = x - mean;
            var variance = centred.Square().Mean(axes, keepDim: true);
            if (runningMean is not null && runningVar is not null)
            {
                // Running statistics are state, not part of the graph.
                ReadOnlySpan<float> bm = mean.Span, bv = variance.Span;
                var rm = runningMean.Span;
                var rv = runningVar.Span;
                float unbias = n / (float)(n - 1);
                for (int i = 0; i < c; i++)
                {
                    rm[i] = momentum * bm[i] + (1f - momentum) * rm[i];
                    rv[i] = momentum * (bv[i] * unbias) + (1f - momentum) * rv[i];
                }
            }
            normalised = centred / (variance + eps).Sqrt();
        }
        else
        {
            if (runningMean is null || runningVar is null)
                throw new ArgumentException("BatchNorm: evaluation needs running_mean and running_var");
            var rm = runningMean.Detach().Reshape(channelShape);
            var rv = runningVar.Detach().Reshape(channelShape);
            normalised = (x - rm) / (rv + eps).Sqrt();
        }
        if (weight is not null) normalised = normalised * weight.Reshape(channelShape);
        if (bias is not null) normalised = normalised + bias.Reshape(channelShape);
        return normalised;
    }

    private static void CheckChannelVector(Tensor? t, int c, string name, Tensor x)
    {
        if (t is not null && !Shapes.Equal(t.Shape, [c]))
            throw new ArgumentException($"BatchNorm: {name} {Shapes.Format(t.Shape)} does not match input {Shapes.Format(x.Shape)}: expected [{c}]");
    }

    /// <summary>
    /// torch.nn.functional.layer_norm: normalises x [..., *normalizedShape] over the trailing axes with the
    /// biased variance, then scales by weight and adds bias (both with <paramref name="normalizedShape"/>, optional).
    /// </summary>
    public static Tensor LayerNorm(Tensor x, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Length;
        if (k == 0 || x.Rank < k || !Shapes.Equal(x.Shape[(x.Rank - k)..], normalizedShape))
            throw new ArgumentException($"LayerNorm: input {Shapes.Format(x.Shape)} does not end with normalized shape {Shapes.Format(normalizedShape)}", nameof(x));
        if (weight is not null && !Shapes.Equal(weight.Shape, normalizedShape))
            throw new ArgumentException($"LayerNorm: weight {Shapes.Format(weight.Shape)} != normalized shape {Shapes.Format(normalizedShape)}", nameof(weight));
        if (bias is not null && !Shapes.Equal(bias.Shape, normalizedShape))
            throw new ArgumentException($"LayerNorm: bias {Shapes.Format(bias.Shape)} != normalized shape {Shapes.Format(normalizedShape)}", nameof(bias));
        var axes = new int[k];
        for (int i = 0; i < k; i++) axes[i] = x.Rank - k + i;
        var centred = x - x.Mean(axes, keepDim: true);
        var variance = centred.Square().Mean(axes, keepDim: true);
        var y = centred / (variance + eps).Sqrt();
        if (weight is not null) y = y * weight;
        if (bias is not null) y = y + bias;
        return y;
    }
}
