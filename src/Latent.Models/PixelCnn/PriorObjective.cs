using Latent.Core;
using Latent.Data;
using Latent.Models.Training;
using Latent.NN;

namespace Latent.Models.PixelCnn;

/// <summary>
/// A code prior as a training objective: the cross-entropy (nats per position) of a batch of precomputed h×w code
/// maps under the PixelCNN (van den Oord et al. 2017, §3.3). Its samples (<see cref="Rows"/>) are the row numbers of
/// the maps, [1] each, so that the trainer's shuffling, checkpoints and resume apply unchanged; labels and the
/// conditioning map are looked up by row.
/// </summary>
internal sealed class PriorObjective : Module, ITrainable
{
    private readonly GatedPixelCnn _prior;
    private readonly int[] _codes;
    private readonly int[]? _labels;
    private readonly Func<int[], Tensor>? _condition;
    private readonly int _h, _w;

    public PriorObjective(GatedPixelCnn prior, int[] codes, int count, int h, int w, int[]? labels, Func<int[], Tensor>? condition)
    {
        if (count > 1 << 24) throw new ArgumentException($"PriorFitting: {count} code maps; at most 2^24 are supported", nameof(count));
        _prior = Add("prior", prior);
        _codes = codes; _labels = labels; _condition = condition; _h = h; _w = w;
        var rows = new float[count];
        for (int i = 0; i < count; i++) rows[i] = i;
        Rows = new Dataset($"codes {h}x{w}", rows, [1]);
    }

    /// <summary>The row numbers 0..count−1 as samples [1].</summary>
    public Dataset Rows { get; }

    public string Name => "pixelcnn-prior";

    public string OptionsText => $"codes={_h}x{_w}";

    public int[] InputShape => [1];

    public LossTerms Loss(Tensor x, TrainingContext ctx)
    {
        var idx = x.ToArray().Select(v => (int)v).ToArray();
        int per = _h * _w;
        var batchCodes = new int[idx.Length * per];
        for (int b = 0; b < idx.Length; b++) Array.Copy(_codes, idx[b] * per, batchCodes, b * per, per);
        int[]? batchLabels = _prior.Classes > 0 ? idx.Select(i => _labels![i]).ToArray() : null;
        var nll = _prior.Loss(batchCodes, idx.Length, _h, _w, batchLabels, _condition?.Invoke(idx));
        return new LossTerms(nll, nll);
    }

    public IReadOnlyList<TrainingPhase> TrainingPhases() => [new("main", Parameters().ToList(), Loss)];
}
