using Latent.Core;
using Latent.NN;
using Latent.NN.Init;

namespace Latent.Models.VqVae;

/// <summary>
/// The VQ bottleneck of van den Oord et al. 2017 (§3.1–3.2): a codebook e ∈ ℝ^{K×D}; every D-vector of the encoder
/// output is replaced by its nearest codebook vector,
/// z_q(x) = e_k, k = argmin_j ‖z_e(x) − e_j‖² (Eq. 1–2),
/// with distances computed as ‖z‖² − 2 z·eᵀ + ‖e‖² (one MatMul). Gradients reach the encoder by the straight-through
/// estimator. The codebook learns either from the codebook loss ‖sg[z_e] − e‖² (Eq. 3, second term) or, with
/// <c>ema</c>, by exponential moving averages (Appendix A.1):
/// N_k ← γN_k + (1−γ)n_k,  m_k ← γm_k + (1−γ)Σ_{i: k(i)=k} z_e,i,  e_k = m_k / Ñ_k,
/// with the cluster sizes Laplace-smoothed, Ñ_k = (N_k + ε)/(n + Kε)·n, n = Σ_k N_k (as in the Sonnet implementation).
/// Optional dead-code restart (not in the paper; Dhariwal et al. 2020, "Jukebox", §2.1 does the same): a code unused for
/// <c>restart</c> training steps is moved onto a random encoder output of the batch.
/// </summary>
public sealed class VectorQuantizer : Module
{
    private readonly bool _ema;
    private readonly float _decay, _epsilon;
    private readonly int _restartAfter;
    private readonly Tensor? _clusterSize, _embedSum;
    private readonly Tensor _idleSteps;

    /// <summary>A codebook of <paramref name="codebookSize"/> vectors of size <paramref name="dim"/>, initialised U(−1/K, 1/K).</summary>
    public VectorQuantizer(int codebookSize, int dim, Rng rng, bool ema = false, float decay = 0.99f, float epsilon = 1e-5f, int restartAfter = 0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (codebookSize <= 0) throw new ArgumentException($"VectorQuantizer: codebook size {codebookSize} must be positive", nameof(codebookSize));
        if (dim <= 0) throw new ArgumentException($"VectorQuantizer: dimension {dim} must be positive", nameof(dim));
        if (!(decay is > 0f and < 1f)) throw new ArgumentException($"VectorQuantizer: decay {decay} must be in (0, 1)", nameof(decay));
        if (!(epsilon > 0f)) throw new ArgumentException($"VectorQuantizer: epsilon {epsilon} must be > 0", nameof(epsilon));
        if (restartAfter < 0) throw new ArgumentException($"VectorQuantizer: restart after {restartAfter} must be >= 0", nameof(restartAfter));
        CodebookSize = codebookSize;
        Dim = dim;
        _ema = ema; _decay = decay; _epsilon = epsilon; _restartAfter = restartAfter;
        var e = Tensor.Zeros(codebookSize, dim);
        Initializers.Uniform(e, 1f / codebookSize, rng);
        if (ema)
        {
            // With EMA the codebook is state, not a trainable parameter: the optimizer must not touch it.
            Embeddings = AddBuffer("codebook", e);
            _clusterSize = AddBuffer("ema_cluster_size", Tensor.Ones(codebookSize));
            _embedSum = AddBuffer("ema_embed_sum", e.Clone());
        }
        else
        {
            Embeddings = AddParameter("codebook", e);
        }
        _idleSteps = AddBuffer("idle_steps", Tensor.Zeros(codebookSize));
    }

    /// <summary>K.</summary>
    public int CodebookSize { get; }

    /// <summary>D.</summary>
    public int Dim { get; }

    /// <summary>True when the codebook is learned by EMA (then it is a buffer and the codebook loss is zero).</summary>
    public bool UsesEma => _ema;

    /// <summary>The codebook e, [K, D].</summary>
    public Tensor Embeddings { get; }

    /// <summary>Nearest codebook index for every row of <paramref name="flat"/> [N, D]; no gradient.</summary>
    public int[] NearestIndices(Tensor flat)
    {
        ArgumentNullException.ThrowIfNull(flat);
        if (flat.Rank != 2 || flat.Shape[1] != Dim)
            throw new ArgumentException($"VectorQuantizer: input {Shapes.Format(flat.Shape)} is not [N,{Dim}]", nameof(flat));
        using (Tensor.NoGrad())
        {
            var z = flat.Detach();
            var e = Embeddings.Detach();
            // ‖z − e‖² = ‖z‖² − 2 z·eᵀ + ‖e‖²: [N,1] − 2[N,K] + [1,K].
            var distances = z.Square().Sum(1, keepDim: true) - 2f * Tensor.MatMul(z, e, transposeB: true) + e.Square().Sum(1).Reshape(1, CodebookSize);
            return distances.ArgMin(1);
        }
    }

    /// <summary>Codebook vectors for <paramref name="indices"/> laid out as [batch, D, h, w] (indices row-major over [batch, h, w]).</summary>
    public Tensor Lookup(int[] indices, int batch, int h, int w)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Length != batch * h * w)
            throw new ArgumentException($"VectorQuantizer: {indices.Length} indices for [{batch},{h},{w}]", nameof(indices));
        foreach (int k in indices)
            if ((uint)k >= (uint)CodebookSize) throw new ArgumentException($"VectorQuantizer: index {k} outside [0, {CodebookSize})", nameof(indices));
        return Embeddings.IndexSelect(0, indices).Reshape(batch, h, w, Dim).Permute(0, 3, 1, 2);
    }

    /// <summary>
    /// Quantises z_e [B, D, h, w]. When <paramref name="ctx"/>.IsTraining, updates the EMA statistics and restarts dead
    /// codes (after the forward values are taken, so this batch's loss is unaffected).
    /// </summary>
    public Quantized Forward(Tensor zE, TrainingContext ctx)
    {
        ArgumentNullException.ThrowIfNull(zE);
        ArgumentNullException.ThrowIfNull(ctx);
        if (zE.Rank != 4 || zE.Shape[1] != Dim)
            throw new ArgumentException($"VectorQuantizer: input {Shapes.Format(zE.Shape)} is not [B,{Dim},h,w]", nameof(zE));
        int b = zE.Shape[0], h = zE.Shape[2], w = zE.Shape[3], n = b * h * w;
        var flat = zE.Permute(0, 2, 3, 1).Reshape(n, Dim);
        int[] idx = NearestIndices(flat);
        var zQ = Lookup(idx, b, h, w);
        float perSample = 1f / Math.Max(1, b);

        // Codebook loss ‖sg[z_e] − e‖² moves e towards the encoder outputs (Eq. 3, second term); EMA replaces it.
        var codebook = _ema ? Tensor.Scalar(0f) : (zE.Detach() - zQ).Square().Sum() * perSample;
        // Commitment loss ‖z_e − sg[e]‖² keeps the encoder committed to its codes (Eq. 3, third term, weighted by β outside).
        var commitment = (zE - zQ.Detach()).Square().Sum() * perSample;
        // Straight-through estimator (§3.2): forward z_q, backward copies ∇_{z_q} L to z_e.
        var straightThrough = StraightThrough(zE, zQ);

        var counts = new int[CodebookSize];
        foreach (int k in idx) counts[k]++;
        var (usage, perplexity) = UsageAndPerplexity(counts, n);

        if (ctx.IsTraining)
        {
            using (Tensor.NoGrad())
            {
                if (_ema) EmaUpdate(flat.Detach(), idx, counts);
                if (_restartAfter > 0) RestartDeadCodes(flat.Detach(), counts, ctx.Rng);
            }
        }
        return new Quantized(straightThrough, idx, codebook, commitment, Tensor.Scalar(usage), Tensor.Scalar(perplexity));
    }

    /// <summary>z_e + sg[z_q − z_e]: the value of z_q with the gradient of the identity with respect to z_e.</summary>
    public static Tensor StraightThrough(Tensor zE, Tensor zQ) => zE + (zQ - zE).Detach();

    /// <summary>Fraction of codes used and exp(−Σ p log p) for code counts over <paramref name="total"/> positions.</summary>
    public static (float Usage, float Perplexity) UsageAndPerplexity(int[] counts, int total)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int used = 0;
        double entropy = 0;
        foreach (int c in counts)
        {
            if (c == 0) continue;
            used++;
            double p = (double)c / total;
            entropy -= p * Math.Log(p);
        }
        return ((float)used / counts.Length, (float)Math.Exp(entropy));
    }

    private void EmaUpdate(Tensor flat, int[] idx, int[] counts)
    {
        var sizes = _clusterSize!.Span;
        var sums = _embedSum!.Span;
        var e = Embeddings.Span;
        ReadOnlySpan<float> z = flat.Span;
        float g = _decay, oneMinus = 1f - _decay;
        var batchSums = new float[CodebookSize * Dim];
        for (int i = 0; i < idx.Length; i++)
        {
            var row = z.Slice(i * Dim, Dim);
            var dst = batchSums.AsSpan(idx[i] * Dim, Dim);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, row, dst);
        }
        double total = 0;
        for (int k = 0; k < CodebookSize; k++)
        {
            sizes[k] = g * sizes[k] + oneMinus * counts[k];
            total += sizes[k];
            for (int d = 0; d < Dim; d++) sums[k * Dim + d] = g * sums[k * Dim + d] + oneMinus * batchSums[k * Dim + d];
        }
        for (int k = 0; k < CodebookSize; k++)
        {
            // Laplace smoothing keeps Ñ_k > 0 for codes no vector chose lately.
            double smoothed = (sizes[k] + _epsilon) / (total + CodebookSize * _epsilon) * total;
            for (int d = 0; d < Dim; d++) e[k * Dim + d] = (float)(sums[k * Dim + d] / smoothed);
        }
    }

    private void RestartDeadCodes(Tensor flat, int[] counts, Rng rng)
    {
        var idle = _idleSteps.Span;
        var e = Embeddings.Span;
        ReadOnlySpan<float> z = flat.Span;
        int n = flat.Shape[0];
        for (int k = 0; k < CodebookSize; k++)
        {
            idle[k] = counts[k] > 0 ? 0f : idle[k] + 1f;
            if (idle[k] < _restartAfter) continue;
            var source = z.Slice(rng.NextInt(n) * Dim, Dim);
            source.CopyTo(e.Slice(k * Dim, Dim));
            if (_ema)
            {
                // Restart the moving averages at the new vector with a unit count, so e_k = m_k / N_k holds.
                _clusterSize!.Span[k] = 1f;
                source.CopyTo(_embedSum!.Span.Slice(k * Dim, Dim));
            }
            idle[k] = 0f;
        }
    }
}
