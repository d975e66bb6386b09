using Microsoft.ML.Transforms;

namespace Latent.MLNet;

/// <summary>
/// The stateless step from <see cref="ScoreVectors"/> to <see cref="ScoreScalars"/>, registered under a contract name so that
/// ML.NET saves it by name and finds it again when a model is loaded (the assembly's name is stored with the model).
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class ScoreScalarsFactory : CustomMappingFactory<ScoreVectors, ScoreScalars>
{
    /// <summary>The name saved in ML.NET model files.</summary>
    public const string ContractName = "Latent.MLNet.ScoreScalars";

    /// <summary>Copies the single element of each vector.</summary>
    public static void Map(ScoreVectors source, ScoreScalars destination)
    {
        destination.LatentError = source.LatentErrorVector[0];
        destination.LatentFlag = source.LatentFlagVector[0];
    }

    /// <inheritdoc />
    public override Action<ScoreVectors, ScoreScalars> GetMapping() => Map;
}
