using Latent.Core;
using Latent.NN;
using Latent.NN.Init;
using Conv = Latent.NN.Layers.Conv2d;

namespace Latent.Models.PixelCnn;

/// <summary>
/// One gated layer of the gated PixelCNN with separate vertical and horizontal stacks (van den Oord, Kalchbrenner,
/// Vinyals, Espeholt, Graves &amp; Kavukcuoglu 2016, "Conditional Image Generation with PixelCNN Decoders", NeurIPS, §2.2–2.3, Fig. 2):
/// <code>
/// v' = tanh(W_{v,f} ∗ v + V_f h) ⊙ σ(W_{v,g} ∗ v + V_g h)                         (Eq. 2, vertical stack)
/// h' = h + W_o [tanh(W_{h,f} ∗ h + U_f (W_v ∗ v) + V_f h) ⊙ σ(… g …)]            (horizontal stack, residual)
/// </code>
/// The vertical convolution has a (c+1)×k kernel (c = k/2) over rows i−c…i: the input is padded c rows above and none
/// below ("masked" by its shape, which costs no multiplications by zero). The horizontal one has a 1×(c+1) kernel over
/// columns j−c…j. Mask type A (the first layer, reading the codes themselves) zeroes the vertical kernel's last row and the
/// horizontal kernel's last column, so position (i, j) sees rows &lt; i and columns &lt; j of row i only: no blind spot.
/// Type B layers keep them and add the residual connection. The conditioning V h is a learned per-class bias
/// (class-conditional, Eq. 4) and/or a 1×1 convolution of a spatial conditioning map s (Eq. 5, V ∗ s).
/// </summary>
public sealed class GatedPixelCnnLayer : Module
{
    private readonly int _c;
    private readonly Tensor _verticalMask, _horizontalMask;

    /// <summary>A layer of <paramref name="channels"/> channels per stack with kernel size <paramref name="kernel"/> (odd).</summary>
    /// <param name="channels">F, channels of both stacks.</param>
    /// <param name="kernel">k (odd).</param>
    /// <param name="maskA">Type A (first layer: excludes the current position) or type B.</param>
    /// <param name="classes">Number of classes for a per-class bias; 0 = none.</param>
    /// <param name="conditionChannels">Channels of the spatial conditioning map; 0 = none.</param>
    /// <param name="rng">Initialisation stream.</param>
    public GatedPixelCnnLayer(int channels, int kernel, bool maskA, int classes, int conditionChannels, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (channels <= 0) throw new ArgumentException($"GatedPixelCnnLayer: channels {channels} must be positive", nameof(channels));
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentException($"GatedPixelCnnLayer: kernel {kernel} must be odd", nameof(kernel));
        if (classes < 0) throw new ArgumentException($"GatedPixelCnnLayer: classes {classes} must be >= 0", nameof(classes));
        if (conditionChannels < 0) throw new ArgumentException($"GatedPixelCnnLayer: condition channels {conditionChannels} must be >= 0", nameof(conditionChannels));
        Channels = channels;
        MaskA = maskA;
        _c = kernel / 2;
        int f2 = 2 * channels;
        Vertical = AddParameter("vertical_weight", Tensor.Zeros(f2, channels, _c + 1, kernel));
        Initializers.KaimingUniformDefault(Vertical, channels * (_c + 1) * kernel, rng);
        VerticalBias = AddParameter("vertical_bias", Tensor.Zeros(f2));
        Horizontal = AddParameter("horizontal_weight", Tensor.Zeros(f2, channels, 1, _c + 1));
        Initializers.KaimingUniformDefault(Horizontal, channels * (_c + 1), rng);
        HorizontalBias = AddParameter("horizontal_bias", Tensor.Zeros(f2));
        VerticalToHorizontal = Add("v_to_h", new Conv(f2, f2, 1, rng));
        HorizontalOut = Add("h_out", new Conv(channels, channels, 1, rng));
        if (classes > 0) ClassBias = AddParameter("class_bias", Tensor.Zeros(classes, f2));
        if (conditionChannels > 0)
        {
            ConditionVertical = Add("cond_v", new Conv(conditionChannels, f2, 1, rng, bias: false));
            ConditionHorizontal = Add("cond_h", new Conv(conditionChannels, f2, 1, rng, bias: false));
        }

        // Type A: the vertical kernel's row i (the current row) and the horizontal kernel's column j are cut off.
        _verticalMask = Tensor.Ones(1, 1, _c + 1, kernel);
        _horizontalMask = Tensor.Ones(1, 1, 1, _c + 1);
        if (maskA)
        {
            _verticalMask.Span.Slice(_c * kernel, kernel).Clear();
            _horizontalMask.Span[_c] = 0f;
        }
    }

    /// <summary>F.</summary>
    public int Channels { get; }

    /// <summary>True for the first layer (mask type A).</summary>
    public bool MaskA { get; }

    /// <summary>W_v, [2F, F, c+1, k].</summary>
    public Tensor Vertical { get; }

    /// <summary>[2F].</summary>
    public Tensor VerticalBias { get; }

    /// <summary>W_h, [2F, F, 1, c+1].</summary>
    public Tensor Horizontal { get; }

    /// <summary>[2F].</summary>
    public Tensor HorizontalBias { get; }

    /// <summary>The 1×1 link from the vertical stack's pre-activation into the horizontal stack.</summary>
    public Conv VerticalToHorizontal { get; }

    /// <summary>W_o, the 1×1 convolution after the horizontal gate.</summary>
    public Conv HorizontalOut { get; }

    /// <summary>Per-class bias [classes, 2F], or null.</summary>
    public Tensor? ClassBias { get; }

    /// <summary>V ∗ s for the vertical stack, or null.</summary>
    public Conv? ConditionVertical { get; }

    /// <summary>V ∗ s for the horizontal stack, or null.</summary>
    public Conv? ConditionHorizontal { get; }

    /// <summary>
    /// (v, h) [B, F, H, W] each → (v', h'). <paramref name="labels"/> (length B) selects the class bias;
    /// <paramref name="condition"/> [B, Cs, H, W] is the spatial conditioning map.
    /// </summary>
    public (Tensor V, Tensor H) Forward(Tensor v, Tensor h, int[]? labels, Tensor? condition)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(h);
        int c = _c;
        var wv = MaskA ? Vertical * _verticalMask : Vertical;
        var wh = MaskA ? Horizontal * _horizontalMask : Horizontal;
        // Rows i−c…i (columns j−c…j+c) for the vertical stack; columns j−c…j for the horizontal one.
        var vPre = Tensor.Conv2d(v.Pad((0, 0), (0, 0), (c, 0), (c, c)), wv, VerticalBias);
        var hPre = Tensor.Conv2d(h.Pad((0, 0), (0, 0), (0, 0), (c, 0)), wh, HorizontalBias) + VerticalToHorizontal.Forward(vPre);
        if (ClassBias is not null)
        {
            if (labels is null || labels.Length != v.Shape[0])
                throw new ArgumentException($"GatedPixelCnnLayer: class-conditional layer needs {v.Shape[0]} labels", nameof(labels));
            var bias = ClassBias.IndexSelect(0, labels).Reshape(v.Shape[0], 2 * Channels, 1, 1);
            vPre += bias;
            hPre += bias;
        }
        if (ConditionVertical is not null)
        {
            if (condition is null) throw new ArgumentException("GatedPixelCnnLayer: the layer is conditional and needs a conditioning map", nameof(condition));
            vPre += ConditionVertical.Forward(condition);
            hPre += ConditionHorizontal!.Forward(condition);
        }
        var hOut = HorizontalOut.Forward(Gate(hPre));
        // The type-A layer's input h holds the current position's own code, so it gets no residual.
        return (Gate(vPre), MaskA ? hOut : h + hOut);
    }

    /// <summary>Gated activation tanh(a) ⊙ σ(b) over the two channel halves of x [B, 2F, H, W] (Eq. 2).</summary>
    public static Tensor Gate(Tensor x)
    {
        int f = x.Shape[1] / 2;
        return x.Narrow(1, 0, f).Tanh() * x.Narrow(1, f, f).Sigmoid();
    }
}
