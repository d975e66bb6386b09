using Latent.Core;

namespace Latent.NN.Layers;

/// <summary>
/// Batch normalisation (Ioffe &amp; Szegedy 2015) over axis 1, shared by <see cref="BatchNorm1d"/> and
/// <see cref="BatchNorm2d"/>: y = (x − E[x]) / √(Var[x] + ε) · γ + β. Training uses the batch statistics
/// (biased variance) and updates running_mean/running_var with the unbiased variance; evaluation uses the
/// running statistics. Parameters weight (γ = 1), bias (β = 0); buffers running_mean (0), running_var (1),
/// num_batches_tracked (0): PyTorch's names, defaults and update rule.
/// </summary>
public abstract class BatchNorm : Layer
{
    private readonly string _name;

    /// <summary>
    /// Batch norm over <paramref name="numFeatures"/> channels. A null <paramref name="momentum"/> keeps a
    /// cumulative average (momentum 1/num_batches_tracked), as PyTorch's momentum=None.
    /// </summary>
    protected BatchNorm(string name, int numFeatures, float eps, float? momentum, bool affine, bool trackRunningStats)
    {
        _name = name;
        if (numFeatures <= 0) throw new ArgumentException($"{name}: numFeatures {numFeatures} must be positive", nameof(numFeatures));
        if (!(eps > 0f)) throw new ArgumentException($"{name}: eps {eps} must be positive", nameof(eps));
        if (momentum is { } m && m is < 0f or > 1f) throw new ArgumentException($"{name}: momentum {m} is not in [0, 1]", nameof(momentum));
        NumFeatures = numFeatures; Eps = eps; Momentum = momentum;
        if (affine)
        {
            Weight = AddParameter("weight", Tensor.Ones(numFeatures));
            Bias = AddParameter("bias", Tensor.Zeros(numFeatures));
        }
        if (trackRunningStats)
        {
            RunningMean = AddBuffer("running_mean", Tensor.Zeros(numFeatures));
            RunningVar = AddBuffer("running_var", Tensor.Ones(numFeatures));
            NumBatchesTracked = AddBuffer("num_batches_tracked", Tensor.Scalar(0f));
        }
    }

    /// <summary>Number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>ε added to the variance.</summary>
    public float Eps { get; }

    /// <summary>Weight of the new batch in the running averages; null for a cumulative average.</summary>
    public float? Momentum { get; }

    /// <summary>γ [C], or null without affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>β [C], or null without affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>[C], or null without running statistics.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>[C], or null without running statistics.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>Rank-0 count of training batches seen (a float holding an integer), or null.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Checks the input's rank (the subclass's layout).</summary>
    protected abstract bool AcceptsRank(int rank);

    /// <summary>The accepted layouts, for messages ("[N,C] or [N,C,L]").</summary>
    protected abstract string Layout { get; }

    /// <summary>Normalises x (layout per subclass) and, in training, updates the running statistics.</summary>
    public override Tensor Forward(Tensor x)
    {
        if (!AcceptsRank(x.Rank) || x.Shape[1] != NumFeatures)
            throw new ArgumentException($"{_name}: input {Shapes.Format(x.Shape)} is not {Layout} with C={NumFeatures}", nameof(x));
        float momentum = Momentum ?? 0f;
        if (Training && NumBatchesTracked is not null)
        {
            NumBatchesTracked.Span[0] += 1f;
            if (Momentum is null) momentum = 1f / NumBatchesTracked.Span[0];
        }
        bool useBatchStats = Training || RunningMean is null;
        return F.BatchNorm(x, RunningMean, RunningVar, Weight, Bias, useBatchStats, momentum, Eps);
    }
}
