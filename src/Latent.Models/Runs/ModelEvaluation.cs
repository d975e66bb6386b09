using Latent.Core;
using Latent.Data;
using Latent.Models.Metrics;

namespace Latent.Models.Runs;

/// <summary>The numbers <c>latent eval</c> reports: reconstruction scores, the model's own loss terms and (when the model supports it) the importance-sampled NLL.</summary>
public static class ModelEvaluation
{
    /// <summary>
    /// sse_per_image, mse, bce, then every loss term of the model on <paramref name="data"/> ("loss_" + name), then "nll"
    /// when <paramref name="nllSamples"/> &gt; 0 and the model is an <see cref="ILikelihoodModel"/>; ArgumentException
    /// when NLL is asked of a model that cannot estimate it.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Evaluate(AutoencoderModel model, Dataset data, int nllSamples = 0, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (nllSamples < 0) throw new ArgumentException($"--nll-samples {nllSamples} must be >= 0", nameof(nllSamples));
        var r = Evaluation.Reconstruction(model, data, batchSize);
        var list = new List<KeyValuePair<string, double>>
        {
            new("samples", data.Count), new("sse_per_image", r.SsePerImage), new("mse", r.Mse), new("bce", r.Bce),
        };
        foreach (var (k, v) in Evaluation.AverageLossTerms(model, data, batchSize)) list.Add(new("loss_" + k, v));
        if (nllSamples > 0)
        {
            if (model is not ILikelihoodModel lik)
                throw new ArgumentException($"--nll-samples: model '{model.Name}' cannot estimate the log-likelihood (it does not implement ILikelihoodModel)", nameof(nllSamples));
            bool was = model.Training;
            model.Eval();
            try { list.Add(new("nll", Likelihood.ImportanceSampledNll(lik, data, nllSamples, new Rng(0x4E11u), batchSize))); }
            finally { model.Train(was); }
        }
        return list;
    }
}
