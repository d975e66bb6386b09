namespace Latent.Core.Kernels;

/// <summary>
/// The index relation shared by a convolution, its transpose and its weight gradient: a "big" image
/// [N, C, H, W] and a "small" image [N, O, Ho, Wo] are linked by kernel taps so that small position
/// (oh, ow) reads big position (oh·Stride − PadH + ki·Dilation, ow·Stride − Pad + kj·Dilation) for
/// ki &lt; Kh, kj &lt; Kw; taps that fall outside the big image read zero (padding).
/// </summary>
/// <remarks>
/// Conv2d maps big -> small, ConvTranspose2d maps small -> big, and the weight gradient pairs one of
/// each. The sizes are explicit (not derived from the formula) so that the three ops are exact adjoints
/// of one another for any sizes, including a transposed convolution with output padding.
/// <para>
/// <see cref="Pad"/> pads all four sides unless <see cref="PadH"/> says otherwise for the rows: a 1-D convolution
/// over [N, C, L] is this geometry with H = Ho = Kh = 1 and PadH = 0 (small position ow reads big position
/// ow·Stride − Pad + kj·Dilation of the single row), so the 2-D kernels serve both.
/// </para>
/// </remarks>
internal readonly record struct ConvGeometry(
    int N, int C, int H, int W, int O, int Ho, int Wo, int Kh, int Kw, int Stride, int Pad, int Dilation)
{
    private readonly int? _padH;

    /// <summary>
    /// Zero rows added above and below the big image: <see cref="Pad"/> unless set (0 for a 1-D convolution), so a
    /// <c>with</c> expression that changes <see cref="Pad"/> changes this too unless it was set.
    /// </summary>
    public int PadH { get => _padH ?? Pad; init => _padH = value; }

    /// <summary>
    /// The geometry of a 1-D convolution as a 2-D one with a single row: big [N, C, L] and small [N, O, Lo] linked by
    /// a kernel of <paramref name="k"/> taps (H = Ho = Kh = 1, no vertical padding).
    /// </summary>
    public static ConvGeometry OneD(int n, int c, int l, int o, int lo, int k, int stride, int pad, int dilation) =>
        new(n, c, 1, l, o, 1, lo, 1, k, stride, pad, dilation) { PadH = 0 };

    /// <summary>Rows of the column matrix: C·Kh·Kw.</summary>
    public int K => C * Kh * Kw;

    /// <summary>Pixels of one big image plane: H·W.</summary>
    public int BigPlane => H * W;

    /// <summary>Pixels of one small image plane: Ho·Wo.</summary>
    public int SmallPlane => Ho * Wo;

    /// <summary>PyTorch's output size of a convolution along one axis: ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1.</summary>
    public static int ConvOut(int n, int k, int s, int p, int d) => (n + 2 * p - d * (k - 1) - 1) / s + 1;

    /// <summary>PyTorch's output size of a transposed convolution: (n−1)s − 2p + d(k−1) + outputPadding + 1.</summary>
    public static int ConvTransposeOut(int n, int k, int s, int p, int d, int op) => (n - 1) * s - 2 * p + d * (k - 1) + op + 1;
}
