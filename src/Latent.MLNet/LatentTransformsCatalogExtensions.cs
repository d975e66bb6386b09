using Latent.MLNet;

// In ML.NET's namespace, as ML.NET's own catalog extensions are, so that mlContext.Transforms lists the stage.
namespace Microsoft.ML;

/// <summary><c>mlContext.Transforms.LatentAutoencoder(...)</c>: a Latent autoencoder as a pipeline stage.</summary>
public static class LatentTransformsCatalogExtensions
{
    /// <summary>
    /// Fits a Latent autoencoder on <paramref name="featureColumnName"/> (a known-size vector of Single, standardised)
    /// and adds <c>Code</c> [Z], <c>ReconstructionError</c>, <c>Score</c> and <c>IsAnomaly</c> columns.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="featureColumnName">The input column.</param>
    /// <param name="codeSize">Code size Z.</param>
    /// <param name="contamination">Expected fraction of anomalies (sets the IsAnomaly threshold).</param>
    /// <param name="epochs">Training epochs.</param>
    public static LatentAutoencoderEstimator LatentAutoencoder(this TransformsCatalog catalog, string featureColumnName = "Features",
        int codeSize = 4, double contamination = 0.05, int epochs = 30)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new LatentAutoencoderEstimator(new LatentAutoencoderOptions
        {
            FeatureColumnName = featureColumnName,
            CodeSize = codeSize,
            Contamination = contamination,
            Epochs = epochs,
        });
    }

    /// <summary>The stage with every option (column names, model, architecture, training).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options.</param>
    public static LatentAutoencoderEstimator LatentAutoencoder(this TransformsCatalog catalog, LatentAutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new LatentAutoencoderEstimator(options);
    }
}
