using Latent.Core;
using Latent.Data;

namespace Latent.Models.Sampling;

/// <summary>
/// Turns any autoencoder into a generator: codes are drawn from N(0, I) or from a <see cref="GaussianMixture"/> fitted
/// on the training codes (stored in the model folder and reused), then decoded.
/// </summary>
public static class CodeSampler
{
    /// <summary>The codes of every sample of <paramref name="data"/>, [N, Z], encoded in batches under no-grad in evaluation mode.</summary>
    public static Tensor EncodeAll(IAutoencoder model, Dataset data, int batch = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batch < 1) throw new ArgumentException($"EncodeAll: batch {batch} must be positive", nameof(batch));
        var module = model as Latent.NN.Module;
        using (module?.Evaluating())
        {
            var codes = new float[data.Count * model.CodeSize];
            using (Tensor.NoGrad())
            {
                for (int start = 0; start < data.Count; start += batch)
                {
                    int n = Math.Min(batch, data.Count - start);
                    var idx = Enumerable.Range(start, n).ToArray();
                    model.Encode(data.Batch(idx)).Span.CopyTo(codes.AsSpan(start * model.CodeSize));
                }
            }
            return new Tensor(codes, [data.Count, model.CodeSize]);
        }
    }

    /// <summary>
    /// The mixture for <paramref name="spec"/> stored in <paramref name="modelDir"/>, or, if there is none, one fitted on
    /// the codes of <paramref name="train"/> with <paramref name="seed"/> and saved there. Fitted is true when it was fitted now.
    /// </summary>
    public static (GaussianMixture Mixture, bool Fitted) LoadOrFit(string modelDir, IAutoencoder model, Dataset train, SamplerSpec spec, ulong seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDir);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.IsNormal) throw new ArgumentException("LoadOrFit: the normal sampler has nothing to fit", nameof(spec));
        string path = Path.Combine(modelDir, spec.FileName);
        if (File.Exists(path))
        {
            var stored = GaussianMixture.Load(path);
            if (stored.Dimension != model.CodeSize)
                throw new Latent.Core.IO.InvalidModelFileException(path, $"mixture over {stored.Dimension} dimensions, but the model's code has {model.CodeSize}");
            return (stored, false);
        }
        var gmm = GaussianMixture.Fit(EncodeAll(model, train), spec.Components, spec.Kind, seed);
        gmm.Save(path);
        return (gmm, true);
    }

    /// <summary><paramref name="count"/> decoded samples [count, ...InputShape] from codes drawn by <paramref name="mixture"/>, or from N(0, I) when it is null.</summary>
    public static Tensor Sample(IAutoencoder model, GaussianMixture? mixture, int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 1) throw new ArgumentException($"Sample: count {count} must be positive", nameof(count));
        if (mixture is not null && mixture.Dimension != model.CodeSize)
            throw new ArgumentException($"Sample: mixture over {mixture.Dimension} dimensions, model code has {model.CodeSize}", nameof(mixture));
        return DecodeAll(model, mixture?.Sample(count, rng) ?? rng.Normal([count, model.CodeSize]));
    }

    /// <summary>Decodes codes <paramref name="z"/> [N, Z] to [N, ...InputShape] under no-grad in evaluation mode.</summary>
    public static Tensor DecodeAll(IAutoencoder model, Tensor z)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(z);
        var module = model as Latent.NN.Module;
        using (module?.Evaluating())
        {
            using (Tensor.NoGrad()) return model.Decode(z);
        }
    }
}
